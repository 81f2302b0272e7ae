/*
 * bcryptprimitives.dll for Wine 8 (Debian 12), used only by the Wine proof
 * (scripts/windows-proof.sh), never shipped. Go 1.24 and newer programs need
 * ProcessPrng from this DLL at start-up; Windows 10 and later have it, Wine
 * added it after 8.0. This one answers from RtlGenRandom.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
