/*
 * efi_file.c — plat_file_read(): read a whole file from the volume wireboot
 * itself was loaded from (LoadedImage->DeviceHandle → SimpleFileSystem,
 * UEFI 2.10 §13.4/§13.5).  This is what `file:` URIs fetch on firmware
 * (e.g. `chain file:\EFI\BOOT\tools.efi`).
 */
#include <string.h>

#include "core/err.h"
#include "platform/efi/efi_plat.h"
#include "platform/platform.h"

static EFI_GUID file_li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID file_sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

#define FILE_MAX (512u * 1024u * 1024u)

int efi_sfs_read(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs, const CHAR16 *name, uint8_t **data, size_t *len)
{
	EFI_FILE_PROTOCOL *root = NULL, *f = NULL;
	uint8_t infobuf[512], *buf = NULL;
	UINTN n, size;
	int rc = -WB_ENOENT;

	if (sfs->OpenVolume(sfs, &root) != EFI_SUCCESS)
		return -WB_ENODEV;
	if (root->Open(root, &f, (CHAR16 *)name, EFI_FILE_MODE_READ, 0) != EFI_SUCCESS)
		goto out;
	n = sizeof(infobuf);
	if (f->GetInfo(f, &file_info_guid, &n, infobuf) != EFI_SUCCESS) {
		rc = -WB_ELINK;
		goto out;
	}
	{
		EFI_FILE_INFO info;

		memcpy(&info, infobuf, sizeof(info));
		if (info.FileSize > FILE_MAX) {
			rc = -WB_ETOOBIG;
			goto out;
		}
		size = (UINTN)info.FileSize;
	}
	buf = plat_malloc(size ? size : 1);
	if (!buf) {
		rc = -WB_ENOMEM;
		goto out;
	}
	n = size;
	if (f->Read(f, &n, buf) != EFI_SUCCESS || n != size) {
		plat_free(buf);
		rc = -WB_ELINK;
		goto out;
	}
	*data = buf;
	*len = size;
	rc = 0;
out:
	if (f)
		f->Close(f);
	if (root)
		root->Close(root);
	return rc;
}

int plat_file_read(const char *path, uint8_t **data, size_t *len)
{
	EFI_LOADED_IMAGE_PROTOCOL *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	CHAR16 name[256];
	size_t i;

	for (i = 0; path[i] && i + 1 < 256; i++)   /* '/' accepted as '\\' */
		name[i] = path[i] == '/' ? '\\' : (unsigned char)path[i];
	name[i] = 0;
	if (path[i])
		return -WB_ETOOBIG;
	if (efi_plat.bs->HandleProtocol(efi_plat.image, &file_li_guid, (VOID **)&li) != EFI_SUCCESS ||
	    !li->DeviceHandle ||
	    efi_plat.bs->HandleProtocol(li->DeviceHandle, &file_sfs_guid, (VOID **)&sfs) != EFI_SUCCESS)
		return -WB_ENODEV;   /* not loaded from a file system */
	return efi_sfs_read(sfs, name, data, len);
}
