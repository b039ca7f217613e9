/*
 * Test-only stand-in for bcryptprimitives.dll under wine 8.
 *
 * Rust's std on Windows draws its random seeds (HashMap keys) from ProcessPrng in
 * bcryptprimitives.dll. Windows 10 and later have it; wine 8 does not ship that DLL, so
 * jixiao.exe would not start there. This DLL exports ProcessPrng and forwards to
 * advapi32's RtlGenRandom (exported as SystemFunction036), which wine has.
 *
 * It is built by build.sh and placed beside jixiao.exe in the test's temporary folder only;
 * it is never shipped with the program.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
