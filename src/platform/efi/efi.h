/*
 * efi.h — the few UEFI definitions wireboot uses, written from the UEFI
 * Specification 2.10 (chapter numbers in the comments).  Only what we call is
 * typed; the other members of a table are opaque function pointers so the
 * layout stays exact.
 *
 * Calling convention: UEFI uses the Microsoft x64 ABI on x86_64 and AAPCS64
 * on arm64.  Our targets are *-windows, whose default is already right, but
 * EFIAPI is explicit so the header stays correct under any target triple.
 */
#ifndef WB_EFI_H
#define WB_EFI_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#define EFIAPI __attribute__((ms_abi))
#else
#define EFIAPI
#endif

/* ---- 2.3.1 data types ------------------------------------------------- */
typedef uint8_t BOOLEAN;
typedef uintptr_t UINTN;
typedef intptr_t INTN;
typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef int16_t INT16;
typedef uint16_t CHAR16;    /* -fshort-wchar: L"" literals are CHAR16 too */
typedef void VOID;
typedef UINTN EFI_STATUS;
typedef VOID *EFI_HANDLE;
typedef VOID *EFI_EVENT;
typedef UINTN EFI_TPL;
typedef UINT64 EFI_PHYSICAL_ADDRESS;

typedef struct {
	UINT32 Data1;
	UINT16 Data2;
	UINT16 Data3;
	UINT8 Data4[8];
} EFI_GUID;

typedef struct {
	UINT8 Addr[32];
} EFI_MAC_ADDRESS;

typedef union {
	UINT32 Addr[4];
	UINT8 v4[4];
	UINT8 v6[16];
} EFI_IP_ADDRESS;

/* ---- Appendix D status codes ------------------------------------------ */
#define EFI_ERROR_BIT ((UINTN)1 << (sizeof(UINTN) * 8 - 1))
#define EFIERR(n) (EFI_ERROR_BIT | (n))
#define EFI_ERROR(s) (((INTN)(s)) < 0)

#define EFI_SUCCESS 0
#define EFI_LOAD_ERROR EFIERR(1)
#define EFI_INVALID_PARAMETER EFIERR(2)
#define EFI_UNSUPPORTED EFIERR(3)
#define EFI_BAD_BUFFER_SIZE EFIERR(4)
#define EFI_BUFFER_TOO_SMALL EFIERR(5)
#define EFI_NOT_READY EFIERR(6)
#define EFI_DEVICE_ERROR EFIERR(7)
#define EFI_WRITE_PROTECTED EFIERR(8)
#define EFI_OUT_OF_RESOURCES EFIERR(9)
#define EFI_NO_MEDIA EFIERR(12)
#define EFI_MEDIA_CHANGED EFIERR(13)
#define EFI_NOT_FOUND EFIERR(14)
#define EFI_ACCESS_DENIED EFIERR(15)
#define EFI_TIMEOUT EFIERR(18)
#define EFI_NOT_STARTED EFIERR(19)
#define EFI_ALREADY_STARTED EFIERR(20)
#define EFI_ABORTED EFIERR(21)
#define EFI_PROTOCOL_ERROR EFIERR(24)
#define EFI_SECURITY_VIOLATION EFIERR(26)

/* ---- 4.2 table header -------------------------------------------------- */
typedef struct {
	UINT64 Signature;
	UINT32 Revision;
	UINT32 HeaderSize;
	UINT32 CRC32;
	UINT32 Reserved;
} EFI_TABLE_HEADER;

typedef EFI_STATUS (EFIAPI *EFI_UNUSED_FN)(void);

/* ---- 12.3 simple text input ------------------------------------------ */
typedef struct {
	UINT16 ScanCode;
	CHAR16 UnicodeChar;
} EFI_INPUT_KEY;

#define EFI_SCAN_UP 0x01
#define EFI_SCAN_DOWN 0x02
#define EFI_SCAN_RIGHT 0x03
#define EFI_SCAN_LEFT 0x04
#define EFI_SCAN_HOME 0x05
#define EFI_SCAN_END 0x06
#define EFI_SCAN_DELETE 0x08
#define EFI_SCAN_ESC 0x17

typedef struct EFI_SIMPLE_TEXT_INPUT_PROTOCOL EFI_SIMPLE_TEXT_INPUT_PROTOCOL;
struct EFI_SIMPLE_TEXT_INPUT_PROTOCOL {
	EFI_STATUS (EFIAPI *Reset)(EFI_SIMPLE_TEXT_INPUT_PROTOCOL *This, BOOLEAN ExtendedVerification);
	EFI_STATUS (EFIAPI *ReadKeyStroke)(EFI_SIMPLE_TEXT_INPUT_PROTOCOL *This, EFI_INPUT_KEY *Key);
	EFI_EVENT WaitForKey;
};

/* ---- 12.4 simple text output ------------------------------------------ */
typedef struct EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL;
struct EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL {
	EFI_STATUS (EFIAPI *Reset)(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *This, BOOLEAN ExtendedVerification);
	EFI_STATUS (EFIAPI *OutputString)(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *This, CHAR16 *String);
	EFI_UNUSED_FN TestString;
	EFI_UNUSED_FN QueryMode;
	EFI_UNUSED_FN SetMode;
	EFI_UNUSED_FN SetAttribute;
	EFI_UNUSED_FN ClearScreen;
	EFI_UNUSED_FN SetCursorPosition;
	EFI_STATUS (EFIAPI *EnableCursor)(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *This, BOOLEAN Visible);
	VOID *Mode;
};

/* ---- 8.3 time services ------------------------------------------------ */
typedef struct {
	UINT16 Year;       /* 1900 - 9999 */
	UINT8 Month;       /* 1 - 12 */
	UINT8 Day;         /* 1 - 31 */
	UINT8 Hour;
	UINT8 Minute;
	UINT8 Second;
	UINT8 Pad1;
	UINT32 Nanosecond;
	INT16 TimeZone;    /* minutes, or EFI_UNSPECIFIED_TIMEZONE */
	UINT8 Daylight;
	UINT8 Pad2;
} EFI_TIME;
#define EFI_UNSPECIFIED_TIMEZONE 0x07FF

typedef struct {
	UINT32 Resolution;
	UINT32 Accuracy;
	BOOLEAN SetsToZero;
} EFI_TIME_CAPABILITIES;

/* ---- 8 runtime services ----------------------------------------------- */
typedef struct {
	EFI_TABLE_HEADER Hdr;
	EFI_STATUS (EFIAPI *GetTime)(EFI_TIME *Time, EFI_TIME_CAPABILITIES *Capabilities);
	EFI_UNUSED_FN SetTime;
	EFI_UNUSED_FN GetWakeupTime;
	EFI_UNUSED_FN SetWakeupTime;
	EFI_UNUSED_FN SetVirtualAddressMap;
	EFI_UNUSED_FN ConvertPointer;
	EFI_UNUSED_FN GetVariable;
	EFI_UNUSED_FN GetNextVariableName;
	EFI_UNUSED_FN SetVariable;
	EFI_UNUSED_FN GetNextHighMonotonicCount;
	EFI_UNUSED_FN ResetSystem;
	EFI_UNUSED_FN UpdateCapsule;
	EFI_UNUSED_FN QueryCapsuleCapabilities;
	EFI_UNUSED_FN QueryVariableInfo;
} EFI_RUNTIME_SERVICES;

/* ---- 7 boot services -------------------------------------------------- */
typedef enum {
	EfiReservedMemoryType,
	EfiLoaderCode,
	EfiLoaderData,
	EfiBootServicesCode,
	EfiBootServicesData,
	EfiRuntimeServicesCode,
	EfiRuntimeServicesData,
	EfiConventionalMemory,
	EfiMaxMemoryType = 16
} EFI_MEMORY_TYPE;

typedef enum {
	AllHandles,
	ByRegisterNotify,
	ByProtocol
} EFI_LOCATE_SEARCH_TYPE;

/* 7.1 events */
#define EVT_TIMER 0x80000000u
#define EVT_NOTIFY_SIGNAL 0x00000200u
#define EVT_SIGNAL_EXIT_BOOT_SERVICES 0x00000201u
#define TPL_APPLICATION 4
#define TPL_CALLBACK 8
#define TPL_NOTIFY 16
typedef VOID (EFIAPI *EFI_EVENT_NOTIFY)(EFI_EVENT Event, VOID *Context);

/* 7.1 SetTimer types (EFI_TIMER_DELAY); TriggerTime in 100 ns units */
#define EFI_TIMER_CANCEL 0
#define EFI_TIMER_PERIODIC 1
#define EFI_TIMER_RELATIVE 2

/* 7.3 InstallProtocolInterface: the only interface type */
#define EFI_NATIVE_INTERFACE 0

/* 7.3 OpenProtocol attributes */
#define EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL 0x01
#define EFI_OPEN_PROTOCOL_GET_PROTOCOL 0x02
#define EFI_OPEN_PROTOCOL_TEST_PROTOCOL 0x04
#define EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER 0x08
#define EFI_OPEN_PROTOCOL_BY_DRIVER 0x10
#define EFI_OPEN_PROTOCOL_EXCLUSIVE 0x20

typedef struct {
	EFI_TABLE_HEADER Hdr;
	/* 7.1 event, timer and task priority */
	EFI_TPL (EFIAPI *RaiseTPL)(EFI_TPL NewTpl);
	VOID (EFIAPI *RestoreTPL)(EFI_TPL OldTpl);
	/* 7.2 memory */
	EFI_UNUSED_FN AllocatePages;
	EFI_UNUSED_FN FreePages;
	EFI_UNUSED_FN GetMemoryMap;
	EFI_STATUS (EFIAPI *AllocatePool)(EFI_MEMORY_TYPE PoolType, UINTN Size, VOID **Buffer);
	EFI_STATUS (EFIAPI *FreePool)(VOID *Buffer);
	/* 7.1 events */
	EFI_STATUS (EFIAPI *CreateEvent)(UINT32 Type, EFI_TPL NotifyTpl, EFI_EVENT_NOTIFY NotifyFunction,
					 VOID *NotifyContext, EFI_EVENT *Event);
	EFI_STATUS (EFIAPI *SetTimer)(EFI_EVENT Event, UINT32 Type, UINT64 TriggerTime);
	EFI_UNUSED_FN WaitForEvent;
	EFI_UNUSED_FN SignalEvent;
	EFI_STATUS (EFIAPI *CloseEvent)(EFI_EVENT Event);
	EFI_STATUS (EFIAPI *CheckEvent)(EFI_EVENT Event);
	/* 7.3 protocol handlers */
	EFI_STATUS (EFIAPI *InstallProtocolInterface)(EFI_HANDLE *Handle, EFI_GUID *Protocol,
						      UINT32 InterfaceType, VOID *Interface);
	EFI_UNUSED_FN ReinstallProtocolInterface;
	EFI_STATUS (EFIAPI *UninstallProtocolInterface)(EFI_HANDLE Handle, EFI_GUID *Protocol,
							VOID *Interface);
	EFI_STATUS (EFIAPI *HandleProtocol)(EFI_HANDLE Handle, EFI_GUID *Protocol, VOID **Interface);
	VOID *Reserved;
	EFI_UNUSED_FN RegisterProtocolNotify;
	EFI_UNUSED_FN LocateHandle;
	EFI_STATUS (EFIAPI *LocateDevicePath)(EFI_GUID *Protocol, VOID **DevicePath, /* in: path; out: rest */
					      EFI_HANDLE *Device);
	EFI_UNUSED_FN InstallConfigurationTable;
	/* 7.4 image services */
	EFI_STATUS (EFIAPI *LoadImage)(BOOLEAN BootPolicy, EFI_HANDLE ParentImageHandle,
				       VOID *DevicePath, VOID *SourceBuffer,
				       UINTN SourceSize, EFI_HANDLE *ImageHandle);
	EFI_STATUS (EFIAPI *StartImage)(EFI_HANDLE ImageHandle, UINTN *ExitDataSize,
					CHAR16 **ExitData);
	EFI_UNUSED_FN Exit;
	EFI_STATUS (EFIAPI *UnloadImage)(EFI_HANDLE ImageHandle);
	EFI_UNUSED_FN ExitBootServices;
	/* 7.5 miscellaneous */
	EFI_UNUSED_FN GetNextMonotonicCount;
	EFI_STATUS (EFIAPI *Stall)(UINTN Microseconds);
	EFI_STATUS (EFIAPI *SetWatchdogTimer)(UINTN Timeout, UINT64 WatchdogCode, UINTN DataSize,
					      CHAR16 *WatchdogData);
	/* 7.3 driver support */
	EFI_STATUS (EFIAPI *ConnectController)(EFI_HANDLE ControllerHandle, EFI_HANDLE *DriverImageHandle,
					       VOID *RemainingDevicePath, BOOLEAN Recursive);
	EFI_STATUS (EFIAPI *DisconnectController)(EFI_HANDLE ControllerHandle, EFI_HANDLE DriverImageHandle,
						  EFI_HANDLE ChildHandle);
	/* 7.3 open and close protocol */
	EFI_STATUS (EFIAPI *OpenProtocol)(EFI_HANDLE Handle, EFI_GUID *Protocol, VOID **Interface,
					  EFI_HANDLE AgentHandle, EFI_HANDLE ControllerHandle, UINT32 Attributes);
	EFI_STATUS (EFIAPI *CloseProtocol)(EFI_HANDLE Handle, EFI_GUID *Protocol, EFI_HANDLE AgentHandle,
					   EFI_HANDLE ControllerHandle);
	EFI_UNUSED_FN OpenProtocolInformation;
	/* 7.3 library */
	EFI_UNUSED_FN ProtocolsPerHandle;
	EFI_STATUS (EFIAPI *LocateHandleBuffer)(EFI_LOCATE_SEARCH_TYPE SearchType, EFI_GUID *Protocol,
						VOID *SearchKey, UINTN *NoHandles, EFI_HANDLE **Buffer);
	EFI_STATUS (EFIAPI *LocateProtocol)(EFI_GUID *Protocol, VOID *Registration, VOID **Interface);
	EFI_UNUSED_FN InstallMultipleProtocolInterfaces;
	EFI_UNUSED_FN UninstallMultipleProtocolInterfaces;
	/* 7.5 */
	EFI_UNUSED_FN CalculateCrc32;
	EFI_UNUSED_FN CopyMem;
	EFI_UNUSED_FN SetMem;
	EFI_STATUS (EFIAPI *CreateEventEx)(UINT32 Type, EFI_TPL NotifyTpl, EFI_EVENT_NOTIFY NotifyFunction,
					   const VOID *NotifyContext, const EFI_GUID *EventGroup, EFI_EVENT *Event);
} EFI_BOOT_SERVICES;

/* ---- 4.3 system table ------------------------------------------------- */
typedef struct {
	EFI_GUID VendorGuid;
	VOID *VendorTable;
} EFI_CONFIGURATION_TABLE;

typedef struct {
	EFI_TABLE_HEADER Hdr;
	CHAR16 *FirmwareVendor;
	UINT32 FirmwareRevision;
	EFI_HANDLE ConsoleInHandle;
	EFI_SIMPLE_TEXT_INPUT_PROTOCOL *ConIn;
	EFI_HANDLE ConsoleOutHandle;
	EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *ConOut;
	EFI_HANDLE StandardErrorHandle;
	EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *StdErr;
	EFI_RUNTIME_SERVICES *RuntimeServices;
	EFI_BOOT_SERVICES *BootServices;
	UINTN NumberOfTableEntries;
	EFI_CONFIGURATION_TABLE *ConfigurationTable;
} EFI_SYSTEM_TABLE;

/* ---- 10.2 device path ------------------------------------------------- */
#define EFI_DEVICE_PATH_PROTOCOL_GUID \
	{ 0x09576e91, 0x6d3f, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }

typedef struct {
	UINT8 Type;
	UINT8 SubType;
	UINT8 Length[2];   /* little-endian, whole node including this header */
} EFI_DEVICE_PATH_PROTOCOL;

#define EFI_DP_TYPE_HARDWARE 0x01
#define EFI_DP_SUB_PCI 0x01
#define EFI_DP_TYPE_MESSAGING 0x03
#define EFI_DP_SUB_MAC 0x0b        /* 10.3.4.11 MAC address device path */
#define EFI_DP_TYPE_END 0x7f
#define EFI_DP_SUB_END_ENTIRE 0xff

typedef struct {
	EFI_DEVICE_PATH_PROTOCOL Header;
	UINT8 Function;
	UINT8 Device;
} EFI_DP_PCI;

typedef struct {
	EFI_DEVICE_PATH_PROTOCOL Header;
	EFI_MAC_ADDRESS MacAddress;
	UINT8 IfType;
} EFI_DP_MAC;

/* Messaging nodes of a network disk (10.3.4): built byte by byte, since
 * their sizes are not multiples of any alignment (IPv4 is 27 bytes). */
#define EFI_DP_SUB_IPV4 0x0c       /* 10.3.4.12: 27 bytes in UEFI 2.x */
#define EFI_DP_SUB_ISCSI 0x13      /* 10.3.4.21: 18 bytes + target name */
#define EFI_DP_SUB_VLAN 0x14       /* 10.3.4.23: 6 bytes */
#define EFI_DP_SUB_URI 0x18        /* 10.3.4.27 URI: 4 bytes + the URI (RFC 3986, no NUL) */
#define EFI_DP_IPV4_LEN 27
#define EFI_DP_ISCSI_LEN 18
#define EFI_DP_VLAN_LEN 6
/* iSCSI node LoginOption bits (10.3.4.21) */
#define EFI_DP_ISCSI_HEADER_CRC32C 0x0002
#define EFI_DP_ISCSI_DATA_CRC32C 0x0008
#define EFI_DP_ISCSI_AUTH_NONE 0x0800   /* bits 10-11 = 10b; 00b = CHAP */
#define EFI_DP_ISCSI_CHAP_UNI 0x1000    /* bit 12: 0 = mutual (CHAP_BI) */

/* Media nodes (10.3.5) */
#define EFI_DP_TYPE_MEDIA 0x04
#define EFI_DP_SUB_HARDDRIVE 0x01
#define EFI_DP_SUB_FILEPATH 0x04       /* CHAR16 path, NUL-terminated */
#define EFI_DP_SUB_MEDIA_VENDOR 0x03   /* 10.3.5.3: header, GUID, data */

/* ---- 13.2 load file 2 ------------------------------------------------- */
#define EFI_LOAD_FILE2_PROTOCOL_GUID \
	{ 0x4006c0c1, 0xfcb3, 0x403e, { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } }
typedef struct EFI_LOAD_FILE2_PROTOCOL EFI_LOAD_FILE2_PROTOCOL;
struct EFI_LOAD_FILE2_PROTOCOL {
	EFI_STATUS (EFIAPI *LoadFile)(EFI_LOAD_FILE2_PROTOCOL *This, EFI_DEVICE_PATH_PROTOCOL *FilePath,
				      BOOLEAN BootPolicy, UINTN *BufferSize, VOID *Buffer);
};
/* The vendor media node GUID under which Linux's EFI stub (>= 5.8) looks for
 * its initrd's LoadFile2 (drivers/firmware/efi/libstub, "LINUX_EFI_INITRD_MEDIA_GUID") */
#define LINUX_EFI_INITRD_MEDIA_GUID \
	{ 0x5568e427, 0x68fc, 0x4f3d, { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }

/* ---- 9.1 loaded image ------------------------------------------------- */
#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }

typedef struct {
	UINT32 Revision;
	EFI_HANDLE ParentHandle;
	EFI_SYSTEM_TABLE *SystemTable;
	EFI_HANDLE DeviceHandle;
	EFI_DEVICE_PATH_PROTOCOL *FilePath;
	VOID *Reserved;
	UINT32 LoadOptionsSize;    /* bytes */
	VOID *LoadOptions;
	VOID *ImageBase;
	UINT64 ImageSize;
	EFI_MEMORY_TYPE ImageCodeType;
	EFI_MEMORY_TYPE ImageDataType;
	EFI_STATUS (EFIAPI *Unload)(EFI_HANDLE ImageHandle);
} EFI_LOADED_IMAGE_PROTOCOL;

/* ---- 13.4/13.5 simple file system, file protocol -------------------- */
#define EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID \
	{ 0x964e5b22, 0x6459, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_FILE_INFO_ID \
	{ 0x09576e92, 0x6d3f, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_FILE_MODE_READ 0x0000000000000001ULL

typedef struct EFI_FILE_PROTOCOL EFI_FILE_PROTOCOL;
struct EFI_FILE_PROTOCOL {
	UINT64 Revision;
	EFI_STATUS (EFIAPI *Open)(EFI_FILE_PROTOCOL *This, EFI_FILE_PROTOCOL **NewHandle,
				  CHAR16 *FileName, UINT64 OpenMode, UINT64 Attributes);
	EFI_STATUS (EFIAPI *Close)(EFI_FILE_PROTOCOL *This);
	EFI_STATUS (EFIAPI *Delete)(EFI_FILE_PROTOCOL *This);
	EFI_STATUS (EFIAPI *Read)(EFI_FILE_PROTOCOL *This, UINTN *BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *Write)(EFI_FILE_PROTOCOL *This, UINTN *BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *GetPosition)(EFI_FILE_PROTOCOL *This, UINT64 *Position);
	EFI_STATUS (EFIAPI *SetPosition)(EFI_FILE_PROTOCOL *This, UINT64 Position);
	EFI_STATUS (EFIAPI *GetInfo)(EFI_FILE_PROTOCOL *This, EFI_GUID *InformationType,
				     UINTN *BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *SetInfo)(EFI_FILE_PROTOCOL *This, EFI_GUID *InformationType,
				     UINTN BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *Flush)(EFI_FILE_PROTOCOL *This);
};
#define EFI_FILE_PROTOCOL_REVISION 0x00010000
#define EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_REVISION 0x00010000
#define EFI_FILE_READ_ONLY 0x0000000000000001ULL
#define EFI_FILE_DIRECTORY 0x0000000000000010ULL
#define EFI_WARN_DELETE_FAILURE 2   /* a warning: high bit clear */

typedef struct EFI_SIMPLE_FILE_SYSTEM_PROTOCOL EFI_SIMPLE_FILE_SYSTEM_PROTOCOL;
struct EFI_SIMPLE_FILE_SYSTEM_PROTOCOL {
	UINT64 Revision;
	EFI_STATUS (EFIAPI *OpenVolume)(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *This, EFI_FILE_PROTOCOL **Root);
};

typedef struct {
	UINT64 Size;
	UINT64 FileSize;
	UINT64 PhysicalSize;
	UINT8 CreateTime[16], LastAccessTime[16], ModificationTime[16];
	UINT64 Attribute;
	/* CHAR16 FileName[] follows */
} EFI_FILE_INFO;

/* ---- 24.1 simple network protocol ------------------------------------ */
#define EFI_SIMPLE_NETWORK_PROTOCOL_GUID \
	{ 0xa19832b9, 0xac25, 0x11d3, { 0x9a, 0x2d, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } }

typedef enum {
	EfiSimpleNetworkStopped,
	EfiSimpleNetworkStarted,
	EfiSimpleNetworkInitialized,
	EfiSimpleNetworkMaxState
} EFI_SIMPLE_NETWORK_STATE;

#define EFI_SIMPLE_NETWORK_RECEIVE_UNICAST 0x01
#define EFI_SIMPLE_NETWORK_RECEIVE_MULTICAST 0x02
#define EFI_SIMPLE_NETWORK_RECEIVE_BROADCAST 0x04
#define EFI_SIMPLE_NETWORK_RECEIVE_PROMISCUOUS 0x08
#define EFI_SIMPLE_NETWORK_RECEIVE_PROMISCUOUS_MULTICAST 0x10

#define MAX_MCAST_FILTER_CNT 16
typedef struct {
	UINT32 State;                  /* EFI_SIMPLE_NETWORK_STATE */
	UINT32 HwAddressSize;
	UINT32 MediaHeaderSize;
	UINT32 MaxPacketSize;
	UINT32 NvRamSize;
	UINT32 NvRamAccessSize;
	UINT32 ReceiveFilterMask;
	UINT32 ReceiveFilterSetting;
	UINT32 MaxMCastFilterCount;
	UINT32 MCastFilterCount;
	EFI_MAC_ADDRESS MCastFilter[MAX_MCAST_FILTER_CNT];
	EFI_MAC_ADDRESS CurrentAddress;
	EFI_MAC_ADDRESS BroadcastAddress;
	EFI_MAC_ADDRESS PermanentAddress;
	UINT8 IfType;
	BOOLEAN MacAddressChangeable;
	BOOLEAN MultipleTxSupported;
	BOOLEAN MediaPresentSupported;
	BOOLEAN MediaPresent;
} EFI_SIMPLE_NETWORK_MODE;

typedef struct EFI_SIMPLE_NETWORK_PROTOCOL EFI_SIMPLE_NETWORK_PROTOCOL;
struct EFI_SIMPLE_NETWORK_PROTOCOL {
	UINT64 Revision;
	EFI_STATUS (EFIAPI *Start)(EFI_SIMPLE_NETWORK_PROTOCOL *This);
	EFI_STATUS (EFIAPI *Stop)(EFI_SIMPLE_NETWORK_PROTOCOL *This);
	EFI_STATUS (EFIAPI *Initialize)(EFI_SIMPLE_NETWORK_PROTOCOL *This, UINTN ExtraRxBufferSize,
					UINTN ExtraTxBufferSize);
	EFI_STATUS (EFIAPI *Reset)(EFI_SIMPLE_NETWORK_PROTOCOL *This, BOOLEAN ExtendedVerification);
	EFI_STATUS (EFIAPI *Shutdown)(EFI_SIMPLE_NETWORK_PROTOCOL *This);
	EFI_STATUS (EFIAPI *ReceiveFilters)(EFI_SIMPLE_NETWORK_PROTOCOL *This, UINT32 Enable, UINT32 Disable,
					    BOOLEAN ResetMCastFilter, UINTN MCastFilterCnt,
					    EFI_MAC_ADDRESS *MCastFilter);
	EFI_UNUSED_FN StationAddress;
	EFI_UNUSED_FN Statistics;
	EFI_UNUSED_FN MCastIpToMac;
	EFI_UNUSED_FN NvData;
	EFI_STATUS (EFIAPI *GetStatus)(EFI_SIMPLE_NETWORK_PROTOCOL *This, UINT32 *InterruptStatus,
				       VOID **TxBuf);
	EFI_STATUS (EFIAPI *Transmit)(EFI_SIMPLE_NETWORK_PROTOCOL *This, UINTN HeaderSize, UINTN BufferSize,
				      VOID *Buffer, EFI_MAC_ADDRESS *SrcAddr, EFI_MAC_ADDRESS *DestAddr,
				      UINT16 *Protocol);
	EFI_STATUS (EFIAPI *Receive)(EFI_SIMPLE_NETWORK_PROTOCOL *This, UINTN *HeaderSize, UINTN *BufferSize,
				     VOID *Buffer, EFI_MAC_ADDRESS *SrcAddr, EFI_MAC_ADDRESS *DestAddr,
				     UINT16 *Protocol);
	EFI_EVENT WaitForPacket;
	EFI_SIMPLE_NETWORK_MODE *Mode;
};

/* ---- 13.9 block I/O protocol ------------------------------------------ */
#define EFI_BLOCK_IO_PROTOCOL_GUID \
	{ 0x964e5b21, 0x6459, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_BLOCK_IO_PROTOCOL_REVISION 0x00010000ULL
typedef UINT64 EFI_LBA;

typedef struct {
	UINT32 MediaId;
	BOOLEAN RemovableMedia;
	BOOLEAN MediaPresent;
	BOOLEAN LogicalPartition;
	BOOLEAN ReadOnly;
	BOOLEAN WriteCaching;
	UINT32 BlockSize;
	UINT32 IoAlign;           /* 0 or 1: any buffer address */
	EFI_LBA LastBlock;
	/* revision 2 and 3 fields: zero, unused at revision 1 */
	EFI_LBA LowestAlignedLba;
	UINT32 LogicalBlocksPerPhysicalBlock;
	UINT32 OptimalTransferLengthGranularity;
} EFI_BLOCK_IO_MEDIA;

typedef struct EFI_BLOCK_IO_PROTOCOL EFI_BLOCK_IO_PROTOCOL;
struct EFI_BLOCK_IO_PROTOCOL {
	UINT64 Revision;
	EFI_BLOCK_IO_MEDIA *Media;
	EFI_STATUS (EFIAPI *Reset)(EFI_BLOCK_IO_PROTOCOL *This, BOOLEAN ExtendedVerification);
	EFI_STATUS (EFIAPI *ReadBlocks)(EFI_BLOCK_IO_PROTOCOL *This, UINT32 MediaId, EFI_LBA Lba,
					UINTN BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *WriteBlocks)(EFI_BLOCK_IO_PROTOCOL *This, UINT32 MediaId, EFI_LBA Lba,
					 UINTN BufferSize, VOID *Buffer);
	EFI_STATUS (EFIAPI *FlushBlocks)(EFI_BLOCK_IO_PROTOCOL *This);
};

/* ---- 20.2 ACPI table protocol (U-Boot has none) ---------------------- */
#define EFI_ACPI_TABLE_PROTOCOL_GUID \
	{ 0xffe06bdd, 0x6107, 0x46a6, { 0x7b, 0xb2, 0x5a, 0x9c, 0x7e, 0xc5, 0x27, 0x5c } }

typedef struct EFI_ACPI_TABLE_PROTOCOL EFI_ACPI_TABLE_PROTOCOL;
struct EFI_ACPI_TABLE_PROTOCOL {
	/* copies the table (and fixes its checksum); *TableKey for Uninstall */
	EFI_STATUS (EFIAPI *InstallAcpiTable)(EFI_ACPI_TABLE_PROTOCOL *This, VOID *AcpiTableBuffer,
					      UINTN AcpiTableBufferSize, UINTN *TableKey);
	EFI_STATUS (EFIAPI *UninstallAcpiTable)(EFI_ACPI_TABLE_PROTOCOL *This, UINTN TableKey);
};

/* ---- 14.4 PCI I/O protocol (only GetLocation: the NIC's bus/device/function) */
#define EFI_PCI_IO_PROTOCOL_GUID \
	{ 0x4cf5b200, 0x68b8, 0x4ca5, { 0x9e, 0xec, 0xb2, 0x3e, 0x3f, 0x50, 0x02, 0x9a } }

typedef struct EFI_PCI_IO_PROTOCOL EFI_PCI_IO_PROTOCOL;
struct EFI_PCI_IO_PROTOCOL {
	EFI_UNUSED_FN PollMem, PollIo;
	EFI_UNUSED_FN MemRead, MemWrite, IoRead, IoWrite, PciRead, PciWrite;  /* 3 access pairs */
	EFI_UNUSED_FN CopyMem, Map, Unmap, AllocateBuffer, FreeBuffer, Flush;
	EFI_STATUS (EFIAPI *GetLocation)(EFI_PCI_IO_PROTOCOL *This, UINTN *SegmentNumber,
					 UINTN *BusNumber, UINTN *DeviceNumber, UINTN *FunctionNumber);
	/* Attributes, GetBarAttributes, SetBarAttributes, RomSize, RomImage follow */
};

/* ---- 37.5 random number generator protocol --------------------------- */
#define EFI_RNG_PROTOCOL_GUID \
	{ 0x3152bca5, 0xeade, 0x433d, { 0x86, 0x2e, 0xc0, 0x1c, 0xdc, 0x29, 0x1f, 0x44 } }

typedef struct EFI_RNG_PROTOCOL EFI_RNG_PROTOCOL;
struct EFI_RNG_PROTOCOL {
	EFI_UNUSED_FN GetInfo;
	/* RNGAlgorithm NULL selects the driver's default algorithm. */
	EFI_STATUS (EFIAPI *GetRNG)(EFI_RNG_PROTOCOL *This, EFI_GUID *RNGAlgorithm, UINTN RNGValueLength,
				    UINT8 *RNGValue);
};

#endif
