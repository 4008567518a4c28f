/*
 * efi_console.c — plat_write() and plat_getkey() over the system table's
 * ConOut / ConIn (UEFI 2.10 §12.3, §12.4).
 *
 * Output: UTF-8 is decoded to UCS-2 (characters outside the BMP and invalid
 * sequences become '?'), '\n' becomes "\r\n", and the text goes to
 * OutputString in chunks from a stack buffer.
 * Input: ReadKeyStroke only — never WaitForEvent: U-Boot has no interrupts
 * and the caller polls, so a blocking wait would stall the network.
 */
#include "platform/platform.h"
#include "platform/efi/efi_plat.h"

#define CON_CHUNK 128

void efi_console_init(void)
{
	/* Nothing to set up: ConOut is ready, and we leave its mode and cursor
	 * as the firmware has them (EnableCursor makes U-Boot emit an escape
	 * sequence into serial logs for no benefit). */
}

/* Decode one UTF-8 sequence at s[*i] (n bytes total); advance *i. */
static CHAR16 con_utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[(*i)++];
	unsigned cp, need, k;

	if (c < 0x80)
		return (CHAR16)c;
	if ((c & 0xe0) == 0xc0) {
		cp = c & 0x1f;
		need = 1;
	} else if ((c & 0xf0) == 0xe0) {
		cp = c & 0x0f;
		need = 2;
	} else if ((c & 0xf8) == 0xf0) {
		cp = c & 0x07;
		need = 3;
	} else {
		return '?';
	}
	for (k = 0; k < need; k++) {
		if (*i >= n || (s[*i] & 0xc0) != 0x80)
			return '?';
		cp = (cp << 6) | (s[(*i)++] & 0x3f);
	}
	if (cp > 0xffff || (cp >= 0xd800 && cp <= 0xdfff))
		return '?';
	return (CHAR16)cp;
}

void plat_write(const char *s, size_t n)
{
	EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *out;
	CHAR16 buf[CON_CHUNK + 3];
	size_t i = 0, k = 0;
	CHAR16 c;

	if (!efi_plat.st || efi_plat.boot_services_gone)
		return;
	out = efi_plat.st->ConOut;
	if (!out)
		return;
	while (i < n) {
		c = con_utf8_next((const unsigned char *)s, n, &i);
		if (c == '\n')
			buf[k++] = '\r';
		buf[k++] = c;
		if (k >= CON_CHUNK) {
			buf[k] = 0;
			out->OutputString(out, buf);
			k = 0;
		}
	}
	if (k) {
		buf[k] = 0;
		out->OutputString(out, buf);
	}
}

void efi_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	plat_write(s, n);
}

void efi_put_status(const char *what, EFI_STATUS st)
{
	char hex[2 + 16 + 2];
	int i, shift, started = 0, k = 0;

	efi_puts(what);
	hex[k++] = '0';
	hex[k++] = 'x';
	for (i = 0, shift = (int)sizeof(UINTN) * 8 - 4; shift >= 0; shift -= 4, i++) {
		unsigned d = (unsigned)(st >> shift) & 0xf;
		if (d || started || shift == 0) {
			hex[k++] = "0123456789abcdef"[d];
			started = 1;
		}
	}
	hex[k++] = '\n';
	hex[k] = 0;
	efi_puts(hex);
}

int plat_getkey(void)
{
	EFI_SIMPLE_TEXT_INPUT_PROTOCOL *in;
	EFI_INPUT_KEY key;

	if (!efi_plat.st || efi_plat.boot_services_gone)
		return PLAT_KEY_NONE;
	in = efi_plat.st->ConIn;
	if (!in || in->ReadKeyStroke(in, &key) != EFI_SUCCESS)
		return PLAT_KEY_NONE;
	switch (key.ScanCode) {
	case 0:
		break;
	case EFI_SCAN_UP: return PLAT_KEY_UP;
	case EFI_SCAN_DOWN: return PLAT_KEY_DOWN;
	case EFI_SCAN_RIGHT: return PLAT_KEY_RIGHT;
	case EFI_SCAN_LEFT: return PLAT_KEY_LEFT;
	case EFI_SCAN_HOME: return PLAT_KEY_HOME;
	case EFI_SCAN_END: return PLAT_KEY_END;
	case EFI_SCAN_DELETE: return PLAT_KEY_DEL;
	case EFI_SCAN_ESC: return 0x1b;
	default: return PLAT_KEY_NONE;   /* function keys etc.: not used */
	}
	/* Ctrl-C arrives as UnicodeChar 3 on U-Boot's serial console and on
	 * EDK2's terminal driver; Enter as '\r', Backspace as 8. */
	if (key.UnicodeChar == 0)
		return PLAT_KEY_NONE;
	if (key.UnicodeChar > 0xff)
		return '?';
	return key.UnicodeChar;
}
