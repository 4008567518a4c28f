/*
 * err.h — the one error model.  Functions return 0 (or a length) on success
 * and a negative WB_E* code on failure.  wb_strerror() gives the one-line
 * human message; a command adds what it was doing.
 */
#ifndef WB_ERR_H
#define WB_ERR_H

#define WB_ERRORS(X) \
	X(WB_ENOMEM,       "out of memory") \
	X(WB_EINVAL,       "invalid argument") \
	X(WB_EAGAIN,       "try again (resource busy)") \
	X(WB_ELINK,        "network link error (check cable / NIC driver)") \
	X(WB_ELINKDOWN,    "link is down (no carrier; check cable or switch)") \
	X(WB_ENOCLOCK,     "firmware has no real-time clock (use 'ntp SERVER')") \
	X(WB_ENOENTROPY,   "no entropy source available") \
	X(WB_ENODEV,       "no such interface (see 'ifstat')") \
	X(WB_ENOTOPEN,     "interface is not open (run 'ifopen' or 'dhcp')") \
	X(WB_ETIMEDOUT,    "timed out") \
	X(WB_EDHCPTIMEOUT, "DHCP: no offer or acknowledgement (is a DHCP server on this link?)") \
	X(WB_EDHCPNAK,     "DHCP: server refused the request (DHCPNAK)") \
	X(WB_EDHCPBAD,     "DHCP: malformed message") \
	X(WB_EDNS,         "DNS: name not found or no DNS server answered (check ${dns})") \
	X(WB_ENODNS,       "DNS: no DNS server configured (set dns or run dhcp)") \
	X(WB_ENTPBAD,      "NTP: malformed or unsynchronised reply") \
	X(WB_ENTPTIMEOUT,  "NTP: no reply from server (check the address and UDP port 123)") \
	X(WB_ENTPSOURCE,   "NTP: reply from another address or port than the server asked (ignored)") \
	X(WB_ENTPORIGIN,   "NTP: reply does not answer a request of ours (originate timestamp; ignored)") \
	X(WB_ENTPFEW,      "NTP: fewer than 3 valid replies before the timeout (check the server; replies from elsewhere are ignored)") \
	X(WB_ENTPPAST,     "NTP: the server's time is before this build's date: refused (check the server's clock)") \
	X(WB_EPINGTIMEOUT, "ping: no echo reply") \
	X(WB_ECANCELED,    "cancelled by user (Ctrl-C)") \
	X(WB_ENOCMD,       "unknown command (type 'help')") \
	X(WB_ENOTSUP,      "not supported") \
	X(WB_EUSAGE,       "bad command usage") \
	X(WB_EUSAGE_SHOWN, "bad command usage (explained above)") \
	X(WB_EEXIST,       "already exists") \
	X(WB_ENOENT,       "not found") \
	X(WB_ENOSETTING,   "no such setting") \
	X(WB_EBADVAL,      "invalid value for setting type") \
	X(WB_ECONNREFUSED, "TCP: connection refused (is the server listening on that port?)") \
	X(WB_ECONNRESET,   "TCP: connection reset by peer") \
	X(WB_ENOTCONN,     "TCP: not connected") \
	X(WB_ENOROUTE,     "no route to host (check netmask and gateway)") \
	X(WB_ECLOSED,      "TCP: connection closed by peer") \
	X(WB_ETOOBIG,      "value too large") \
	X(WB_ESYNTAX,      "syntax error") \
	X(WB_EEXIT,        "script exit") \
	X(WB_EFALSE,       "condition is false") \
	X(WB_ENOLABEL,     "no such label in the script") \
	X(WB_ENOTSUPCMD,   "not supported by wireboot (see docs/scripting.md)") \
	X(WB_ENOTSCRIPT,   "only valid in a script") \
	X(WB_ENESTING,     "scripts nested too deeply") \
	X(WB_EBADNAME,     "bad setting name or type") \
	X(WB_EEOF,         "end of input (console closed)") \
	X(WB_ENOMENU,      "menu: no such menu (create it with 'menu')") \
	X(WB_EMENUEMPTY,   "choose: menu has no selectable items") \
	X(WB_EWRONGKEY,    "prompt: a different key was pressed") \
	X(WB_EPEM,         "PEM: malformed file (expected -----BEGIN CERTIFICATE----- blocks, unencrypted keys)") \
	X(WB_EX509BAD,     "X.509: malformed certificate") \
	X(WB_ETLS,         "TLS: handshake failed (see the message above; is the server speaking TLS 1.2?)") \
	X(WB_ETLSALERT,    "TLS: the server ended the handshake with an alert (does it want a client certificate?)") \
	X(WB_ETLSNOTIME,   "TLS: current time unknown, cannot check certificate dates (run 'ntp SERVER')") \
	X(WB_ETLSEXPIRED,  "TLS: server certificate has expired (check the server, or the clock: 'ntp')") \
	X(WB_ETLSNOTYET,   "TLS: server certificate is not yet valid (check the clock: 'ntp')") \
	X(WB_ETLSNAME,     "TLS: server certificate is for another host name (check the URL's host)") \
	X(WB_ETLSUNKNOWNCA, "TLS: server certificate is from an unknown CA (build with TRUST= or use --trust)") \
	X(WB_ETLSSELFSIGNED, "TLS: server certificate is self-signed (add it as a trust anchor to accept it)") \
	X(WB_ETLSNOISSUER, "TLS: server did not send the intermediate certificate (fix the server's chain)") \
	X(WB_ETLSNOTCA,    "TLS: certificate signed by a certificate that is not a CA") \
	X(WB_ETLSWEAKKEY,  "TLS: certificate key too weak (RSA under 2048 bits)") \
	X(WB_ETLSSHA1,     "TLS: certificate signed with SHA-1 or MD5 (refused; reissue with SHA-256)") \
	X(WB_ETLSBADSIG,   "TLS: certificate signature does not verify") \
	X(WB_ETLSCERT,     "TLS: certificate refused (see the message above)") \
	X(WB_ETLSNOTRUST,  "TLS: no trust anchors configured (build with TRUST= or use --trust)") \
	X(WB_ETLSEKU,      "TLS: server certificate is not for TLS servers (extendedKeyUsage without serverAuth; a client certificate?)") \
	X(WB_ETLSTRUNC,    "TLS: connection closed without close_notify (what was received may be truncated)") \
	X(WB_EBADIMAGE,    "image: not an EFI application or iPXE script the firmware can run") \
	X(WB_EIMAGESTART,  "image: the firmware could not start it") \
	X(WB_ENOIMAGE,     "image: no such image (see imgstat)") \
	X(WB_ENOFETCH,     "image: cannot fetch this URI here (no HTTP client for this scheme)") \
	X(WB_EURISYNTAX,   "URI: malformed (spaces, control or non-ASCII characters must be %-encoded)") \
	X(WB_EURIPCT,      "URI: bad %-encoding ('%' must be followed by two hex digits, not %00)") \
	X(WB_EURISCHEME,   "URI: bad scheme (use http://HOST/PATH or https://HOST/PATH)") \
	X(WB_EURIPORT,     "URI: bad port (a number 0-65535 after the host's ':')") \
	X(WB_EURIHOST,     "URI: bad host (IPv6 literals [..] are not supported)") \
	X(WB_EURIRELATIVE, "URI: relative reference with no base URI to resolve it against") \
	X(WB_EURINOHOST,   "URL has no host (use http://HOST/PATH)") \
	X(WB_EURINOTHTTP,  "URL scheme not supported (only http:// and https://)") \
	X(WB_EHTTPSTATUS,  "HTTP: malformed status line (is that port an HTTP server?)") \
	X(WB_EHTTPVERSION, "HTTP: server answered with an unsupported HTTP version (need 1.x)") \
	X(WB_EHTTPHEADER,  "HTTP: malformed header line in the response") \
	X(WB_EHTTPLINELONG, "HTTP: response header line too long") \
	X(WB_EHTTPHDRMANY, "HTTP: too many response header lines") \
	X(WB_EHTTPLENGTH,  "HTTP: bad or conflicting Content-Length") \
	X(WB_EHTTPCODING,  "HTTP: unsupported Transfer-Encoding (only chunked)") \
	X(WB_EHTTPCHUNK,   "HTTP: bad chunk size line in chunked body") \
	X(WB_EHTTPCHUNKEND, "HTTP: chunk data not followed by CRLF (corrupt chunked body)") \
	X(WB_EHTTPTRUNC,   "HTTP: body truncated (connection closed before the whole body arrived)") \
	X(WB_EHTTPSTRUNC,  "HTTPS: connection closed without TLS close_notify before the body's end; the body may be truncated") \
	X(WB_EHTTPHDRTRUNC, "HTTP: connection closed before a complete response header") \
	X(WB_EHTTPRANGE,   "HTTP: bad Content-Range, or the server ignored the Range request") \
	X(WB_EHTTPNOTFOUND, "HTTP 404: not found (check the path and file name on the server)") \
	X(WB_EHTTPFORBIDDEN, "HTTP 403: forbidden (check the file's permissions on the server)") \
	X(WB_EHTTPAUTH,    "HTTP 401: authorization required (put user:password@ in the URL)") \
	X(WB_EHTTPCLIENT,  "HTTP 4xx: request refused by the server (see the status above)") \
	X(WB_EHTTPSERVER,  "HTTP 5xx: server error (see the server's error log)") \
	X(WB_EHTTPUNEXPECTED, "HTTP: unexpected status code") \
	X(WB_EHTTPREDIRMAX, "HTTP: too many redirects (more than 5; a redirect loop?)") \
	X(WB_EHTTPNOLOCATION, "HTTP: redirect without a usable Location header") \
	X(WB_EHTTPDOWNGRADE, "HTTP: redirect from https:// to http:// refused") \
	X(WB_EHTTPIDLE,    "HTTP: server stopped sending (idle timeout; server overloaded or link lost?)") \
	X(WB_EHTTPCONNTIMEOUT, "HTTP: connect timed out (is the server up and reachable?)") \
	X(WB_EHTTPREQLONG, "HTTP: request too long (URL or user info too long)") \
	X(WB_ENOTLS,       "https: TLS not available yet (use http://)") \
	X(WB_EHTTPSINK,    "HTTP: could not store the body (disk full or write error?)") \
	X(WB_EISCSIOPCODE, "iSCSI: PDU with a reserved opcode (target speaks another protocol, or the stream lost sync)") \
	X(WB_EISCSIDSL,    "iSCSI: PDU data segment exceeds our MaxRecvDataSegmentLength (target ignored the negotiated limit)") \
	X(WB_EISCSIAHS,    "iSCSI: malformed additional header segment (AHS lengths do not add up)") \
	X(WB_EISCSIPDU,    "iSCSI: PDU field invalid for its opcode (a data segment where none is allowed)") \
	X(WB_EISCSIHDIGEST, "iSCSI: header digest mismatch (header corrupted in transit; reconnect, or set HeaderDigest None)") \
	X(WB_EISCSIDDIGEST, "iSCSI: data digest mismatch (data corrupted in transit; the read is retried)") \
	X(WB_EISCSITEXT,   "iSCSI: malformed key=value text from the target (RFC 7143 section 6.1)") \
	X(WB_EISCSITEXTLONG, "iSCSI: text key or value too long (keys up to 63 bytes, values up to 8192)") \
	X(WB_EISCSINEG,    "iSCSI: target answered a login key with a value outside what we offered") \
	X(WB_ECHAPALG,     "iSCSI CHAP: target offers no CHAP algorithm we accept (check the CHAP_A preference)") \
	X(WB_ECHAPVALUE,   "iSCSI CHAP: malformed CHAP_I, CHAP_C or CHAP_R value (must be a number, 0x hex or 0b base64)") \
	X(WB_ECHAPREFLECT, "iSCSI CHAP: target sent back our own challenge (reflection attack, RFC 3720 section 8.2.1)") \
	X(WB_ECHAPMUTUAL,  "iSCSI CHAP: target failed mutual CHAP (reverse-password mismatch)") \
	X(WB_EIMAGEEXIT,   "image: the EFI application ran and returned an error status") \
	X(WB_EISCSIURI,    "iSCSI root path: not of the form iscsi:SERVER:PROTOCOL:PORT:LUN:TARGETNAME (RFC 4173)") \
	X(WB_EISCSIURIPROTO, "iSCSI root path: protocol must be empty or 6 (TCP)") \
	X(WB_EISCSIURIPORT, "iSCSI root path: bad port (a number 1-65535, or empty for 3260)") \
	X(WB_EISCSIURILUN, "iSCSI root path: bad LUN (up to 4 dash-separated groups of 1-4 hex digits, e.g. 1 or 4752-3a4f; empty for 0)") \
	X(WB_EISCSIURITARGET, "iSCSI root path: missing or invalid target name (e.g. iqn.2026-11.example:disk)") \
	X(WB_EISCSINOCREDS, "iSCSI login: target demands CHAP but no credentials are set (set username and password)") \
	X(WB_ECHAPREFUSED, "iSCSI login: target refused our CHAP response: check username/password") \
	X(WB_ECHAPTARGET,  "iSCSI login: target failed mutual CHAP: check reverse-username/reverse-password") \
	X(WB_ECHAPNOMUTUAL, "iSCSI login: target did not prove itself (no CHAP_N/CHAP_R) although mutual CHAP is configured") \
	X(WB_EISCSINOTARGET, "iSCSI login: target not found (check the target name in the root path)") \
	X(WB_EISCSIAUTHZ,  "iSCSI login: initiator not allowed to access this target (check the target's ACL / initiator-iqn)") \
	X(WB_EISCSIREDIRECT, "iSCSI login: target redirected us to another address (TargetAddress)") \
	X(WB_EISCSILOGIN,  "iSCSI login: target refused the login (initiator error status)") \
	X(WB_EISCSITGTERR, "iSCSI login: target error (status class 3: out of resources or unavailable; try again later)") \
	X(WB_EISCSIPROTO,  "iSCSI: target broke the protocol (unexpected or inconsistent response)") \
	X(WB_EISCSISCSI,   "iSCSI: SCSI command failed (CHECK CONDITION or other status)") \
	X(WB_EISCSIREJECT, "iSCSI: target rejected a PDU (Reject; see the reason code)") \
	X(WB_ENOTREADY,    "SCSI: unit not ready (the target's LUN is starting or offline; waiting)") \
	X(WB_EISCSILOGOUT, "iSCSI: target refused the logout (Logout Response not success; the connection is dropped anyway)") \
	X(WB_EROFS,        "SAN: the device is write-protected (read-only LUN)") \
	X(WB_ESANGAVEUP,   "SAN: lost the target and could not reconnect in time (is the target up and reachable?)") \
	X(WB_ESANREDIRMAX, "iSCSI login: too many redirects (more than 4; a redirect loop?)") \
	X(WB_ESANREDIRADDR, "iSCSI login: redirect to an unusable TargetAddress") \
	X(WB_ESANNOTREADY, "SAN: the LUN stayed NOT READY (is the target's backing store available?)") \
	X(WB_ESANNOLUN,    "SAN: no disk at this LUN (check the LUN in the root path)") \
	X(WB_EDISKREAD,    "disk: read failed (I/O error from the device or image file)") \
	X(WB_EDISKGEOM,    "disk: unsupported geometry (block size must be 512-4096, a power of two)") \
	X(WB_EMBRSIG,      "MBR: no 55AA boot signature in sector 0 (no partition table)") \
	X(WB_EMBRBAD,      "MBR: partition entry invalid (bad status byte, or beyond the end of the disk)") \
	X(WB_EGPTSIG,      "GPT: no \"EFI PART\" signature in the header block") \
	X(WB_EGPTHDR,      "GPT: header malformed (size, revision, my_lba or usable LBA range out of bounds)") \
	X(WB_EGPTCRC,      "GPT: header CRC32 mismatch (header corrupted)") \
	X(WB_EGPTENTSIZE,  "GPT: partition entry array out of bounds (entry size, count or location)") \
	X(WB_EGPTENTCRC,   "GPT: partition entry array CRC32 mismatch (entries corrupted)") \
	X(WB_EGPTPART,     "GPT: a partition is outside the usable LBA range or overlaps another") \
	X(WB_EFATBPB,      "FAT: boot sector/BPB invalid (not a FAT file system)") \
	X(WB_EFATCHAIN,    "FAT: broken cluster chain (loop, free, bad or out-of-range cluster)") \
	X(WB_EFATPATH,     "FAT: bad path (empty or over-long component)") \
	X(WB_EFATNOTDIR,   "FAT: a path component is not a directory") \
	X(WB_EPEMZ,        "PE: no MZ signature (not a PE/EFI image)") \
	X(WB_EPEHDR,       "PE: header truncated or out of bounds (e_lfanew, COFF or optional header)") \
	X(WB_EPESIG,       "PE: no \"PE\\0\\0\" signature at e_lfanew (an MS-DOS program, not a PE image)") \
	X(WB_EGPTPMBR,     "GPT: sector 0 has no protective MBR (a type EE entry starting at LBA 1); firmware ignores such a GPT") \
	X(WB_ESANHOOKED,   "SAN: that drive number is already hooked (sanunhook it first, or use --drive)") \
	X(WB_ESANNODRIVE,  "SAN: no such drive (sanhook one first; drives start at 0x80)") \
	X(WB_ESANPUBLISH,  "SAN: the firmware refused to install the disk (Block IO / device path)") \
	X(WB_ESANNOFS,     "SAN: no file system on the disk (it needs a partition table with an EFI System Partition)") \
	X(WB_ESANNOFILE,   "SAN: boot file not found on the disk (check --filename / san-filename)") \
	X(WB_EIBFTHDR,     "iBFT: bad table header (signature, length, revision or checksum)") \
	X(WB_EIBFTSTRUCT,  "iBFT: a structure is out of the table, misaligned, or has a wrong id, version or length") \
	X(WB_EIBFTSTR,     "iBFT: a string is out of the table or not NUL-terminated") \
	X(WB_EIBFTINSTALL, "iBFT: the firmware refused to install the ACPI table (InstallAcpiTable)") \
	X(WB_ECHAPMIRROR,  "iSCSI login: target failed mutual CHAP: its answer to our challenge is what password (not reverse-password) gives, a reflection (RFC 7143 section 12.1.3)") \
	X(WB_ECHAPSAMESECRET, "iSCSI CHAP: password and reverse-password are equal; RFC 7143 section 12.1.3 forbids one secret for both directions (use two, or set chap-allow-same-secret)") \
	X(WB_ECHAPSHORTSECRET, "iSCSI CHAP: password is shorter than 12 bytes; RFC 7143 section 12.1.3 allows under 96 bits only with IPsec (lengthen it, or set chap-allow-short-secret)") \
	X(WB_ECHAPSHORTRSECRET, "iSCSI CHAP: reverse-password is shorter than 12 bytes; RFC 7143 section 12.1.3 allows under 96 bits only with IPsec (lengthen it, or set chap-allow-short-secret)") \
	X(WB_ECHAPALGLIST, "iSCSI CHAP: bad chap-algorithms: give 5 (MD5), 6 (SHA-1) and/or 7 (SHA-256), comma-separated, each once, e.g. 7,5") \
	X(WB_EISCSIRESIDUAL, "iSCSI: a READ/WRITE moved more or fewer bytes than asked (residual or missing Data-In); check the target's LUN size and backing store") \
	X(WB_EISCSICAPACITY, "iSCSI: READ CAPACITY reports an impossible size (block size 0 or over 1 MiB, or more than 2^64 bytes); check the target's LUN") \
	X(WB_ESANREISSUES, "SAN: a command was reissued too often (the connection was lost each time it was outstanding; see san-retries)") \
	X(WB_ESANCMDTIMEOUT, "SAN: a command did not complete in time (see san-command-timeout; is the target overloaded or stuck?)") \
	X(WB_ENTPMODE,     "NTP: reply is not from a server (mode is not 4; ignored)") \
	X(WB_ENTPVERSION,  "NTP: reply has an unsupported version (only 3 and 4; ignored)") \
	X(WB_ENTPSTRATUM,  "NTP: server is unsynchronised or refuses service (stratum 0 or 16 and above; ignored)") \
	X(WB_ENTPLEAP,     "NTP: server says its clock is unsynchronised (leap indicator 3; ignored)") \
	X(WB_EENTROPYHEALTH, "no entropy: the timer-jitter source failed its health tests (the timer does not jitter); use firmware with EFI_RNG_PROTOCOL (QEMU: -device virtio-rng-pci or virtio-rng-device)") \
	X(WB_ESECUREBOOT,  "image refused by UEFI Secure Boot (not signed by a key in the firmware's db, or its hash is in dbx): sign it with an enrolled key, enroll its certificate or hash, or turn Secure Boot off") \
	X(WB_EFTPREPLY,    "FTP: malformed reply from the server (not \"123 text\" lines, RFC 959 section 4.2, or an endless multi-line reply)") \
	X(WB_EFTPPASV,     "FTP: the server's EPSV/PASV reply names no usable port (check the server's passive-mode settings)") \
	X(WB_EFTPBOUNCE,   "FTP: PASV names a data address that is not the server's; refused (FTP bounce; check the server's pasv_address / NAT settings)") \
	X(WB_EFTPSIZE,     "FTP: bad SIZE reply, or the file received is not the size SIZE announced") \
	X(WB_EFTPLOGIN,    "FTP: login refused (check user name and password, or whether the server allows anonymous login)") \
	X(WB_EFTPNOTFOUND, "FTP: file not available (550: missing, or not readable by this user; check the path)") \
	X(WB_EFTPREFUSED,  "FTP: the server refused a command (see the reply code and text)") \
	X(WB_EFTPDATA,     "FTP: the data connection ended without the server confirming the transfer (226); the file is incomplete") \
	X(WB_EFTPCONNTIMEOUT, "FTP: connecting to the server timed out (is it up? is port 21, or the passive port range, reachable?)") \
	X(WB_EFTPIDLE,     "FTP: the server stopped answering (nothing moved for the timeout; see --timeout)") \
	X(WB_EFTPURI,      "FTP: bad ftp:// URL (no file path, or a CR/LF in the path, user or password)") \
	X(WB_EFTPCLOSED,   "FTP: the server closed the control connection (see the last reply; too many users?)") \
	X(WB_EXDR,         "RPC: malformed reply (truncated XDR, or a length beyond the record or the protocol's limit)") \
	X(WB_ERPCREC,      "RPC: bad record marking (too many fragments in one reply)") \
	X(WB_ERPCTOOBIG,   "RPC: reply larger than the client accepts (a hostile or broken server?)") \
	X(WB_ERPCNOTREPLY, "RPC: the server sent something that is not an RPC reply") \
	X(WB_ERPCXID,      "RPC: reply to a call we did not make (unknown XID)") \
	X(WB_ERPCMISMATCH, "RPC: server rejected the call: RPC version mismatch (it does not speak ONC RPC v2)") \
	X(WB_ERPCAUTH,     "RPC: server rejected our AUTH_SYS credentials (check the export's allowed clients, security flavours and privileged-port setting)") \
	X(WB_ERPCPROGUNAVAIL, "RPC: program not available at that port (is the NFS or MOUNT service running there?)") \
	X(WB_ERPCPROGMISMATCH, "RPC: server does not offer the program version wireboot needs (NFSv3 / MOUNT v3 / PORTMAP v2)") \
	X(WB_ERPCPROCUNAVAIL, "RPC: server does not implement the procedure") \
	X(WB_ERPCGARBAGE,  "RPC: server could not decode our arguments (GARBAGE_ARGS)") \
	X(WB_ERPCSYSERR,   "RPC: server reported a system error (SYSTEM_ERR; out of memory?)") \
	X(WB_ERPCACCEPT,   "RPC: server answered with an unknown accept status") \
	X(WB_EPMAPNOPORT,  "portmapper: MOUNT v3 or NFS v3 over TCP is not registered (is the NFS server running with TCP and v3 enabled?)") \
	X(WB_EMNTPERM,     "MOUNT: MNT3ERR_PERM: not the owner (the server refuses this client)") \
	X(WB_EMNTNOENT,    "MOUNT: MNT3ERR_NOENT: no such export path on the server (check the path in the nfs:// URI)") \
	X(WB_EMNTACCES,    "MOUNT: MNT3ERR_ACCES: the server does not export that path to this client (check its exports)") \
	X(WB_EMNTNOTDIR,   "MOUNT: MNT3ERR_NOTDIR: the export path is not a directory") \
	X(WB_EMNTERR,      "MOUNT: the server refused the mount (I/O, invalid, name too long, not supported or server fault)") \
	X(WB_EMNTNOAUTH,   "MOUNT: the export does not accept AUTH_SYS (Kerberos-only exports are not supported)") \
	X(WB_ENFSPERM,     "NFS: NFS3ERR_PERM: not permitted (the server squashes or refuses this identity)") \
	X(WB_ENFSNOENT,    "NFS: NFS3ERR_NOENT: no such file or directory on the server (check the path in the nfs:// URI)") \
	X(WB_ENFSIO,       "NFS: NFS3ERR_IO: the server hit an I/O error reading the file") \
	X(WB_ENFSACCES,    "NFS: NFS3ERR_ACCES: permission denied (file mode, or the export's squash/uid settings)") \
	X(WB_ENFSNOTDIR,   "NFS: NFS3ERR_NOTDIR: a directory in the path is not a directory") \
	X(WB_ENFSISDIR,    "NFS: the path names a directory, not a file") \
	X(WB_ENFSNAMETOOLONG, "NFS: NFS3ERR_NAMETOOLONG: a path component is too long") \
	X(WB_ENFSSTALE,    "NFS: NFS3ERR_STALE: file handle no longer valid (the file or export changed on the server)") \
	X(WB_ENFSBADHANDLE, "NFS: NFS3ERR_BADHANDLE: the server does not understand the file handle") \
	X(WB_ENFSSERVERFAULT, "NFS: NFS3ERR_SERVERFAULT: the server failed internally") \
	X(WB_ENFSJUKEBOX,  "NFS: NFS3ERR_JUKEBOX: the file is not available yet (offline storage); try again later") \
	X(WB_ENFSERR,      "NFS: the server refused the operation (see the NFS3ERR status name shown)") \
	X(WB_ENFSLOOP,     "NFS: too many symbolic links in the path (more than 8; a loop?)") \
	X(WB_ENFSLINKOUT,  "NFS: an absolute symbolic link points outside the mounted export") \
	X(WB_ENFSNOTFILE,  "NFS: the path names something that is not a regular file") \
	X(WB_ENFSSHORT,    "NFS: the file ended before the size its attributes gave (changed on the server during the read?)") \
	X(WB_ENFSREAD,     "NFS: READ reply inconsistent (more bytes than asked, or count and data length differ)") \
	X(WB_ENFSNOATTR,   "NFS: the server gave no attributes for the file (type and size unknown)") \
	X(WB_ENFSURI,      "NFS: bad nfs:// URI (want nfs://server[:port]/export/path/file; no user info or query)") \
	X(WB_ENFSPATH,     "NFS: path too long or too deep (1024 bytes, 64 components at most)") \
	X(WB_ENFSCONNTIMEOUT, "NFS: connecting to the server timed out (is it up? a firewall?)") \
	X(WB_ENFSIDLE,     "NFS: the server stopped answering (no reply within the timeout; see --timeout)") \
	X(WB_EPORTBUSY,    "TCP: the local port asked for is in use") \
	X(WB_EPORTPERM,    "TCP: no permission to bind a reserved local port (below 1024; not root?)") \
	X(WB_EPXENOANSWER, "proxyDHCP: no answer on port 4011 (is the proxy or boot server reachable, and does it serve this client architecture?)") \
	X(WB_ETFTPBADPKT,  "TFTP: malformed packet from the server (short, unknown opcode, unterminated string or bad option value)") \
	X(WB_ETFTPNAME,    "TFTP: bad file name (empty, over 255 bytes, or with control characters)") \
	X(WB_ETFTPURI,     "TFTP: bad URI (want tftp://server[:port]/path)") \
	X(WB_ETFTPTIMEOUT, "TFTP: no answer from the server in time (check the address, UDP port 69 and firewalls; see --timeout)") \
	X(WB_ETFTPNOTFOUND, "TFTP: server says file not found (error 1; check the path under the server's root)") \
	X(WB_ETFTPACCESS,  "TFTP: server says access violation (error 2; check file permissions and the server's root)") \
	X(WB_ETFTPSERVER,  "TFTP: server sent an error (its code and text are shown)") \
	X(WB_ETFTPOACK,    "TFTP: server acknowledged an option we did not ask for or a value beyond what we asked (RFC 2347)") \
	X(WB_ETFTPOPCODE,  "TFTP: server sent a packet that makes no sense now (an ACK, a request, or an OACK in mid-transfer)") \
	X(WB_ETFTPBLOCK,   "TFTP: server sent a DATA block larger than the agreed block size") \
	X(WB_ETFTPSIZE,    "TFTP: the file's length differs from the size the server announced (tsize)") \
	X(WB_ETFTPSOCKET,  "TFTP: cannot open a UDP socket (out of ports or memory)") \
	X(WB_ETFTPSEND,    "TFTP: sending a UDP datagram failed (no route to the server?)") \
	X(WB_ECMSNOTCMS,   "signature: not a CMS SignedData (empty, or not what `openssl cms -sign -binary -outform DER` writes)") \
	X(WB_ECMSTRUNC,    "signature: DER truncated (the signature file is cut short)") \
	X(WB_ECMSBAD,      "signature: malformed CMS SignedData (see the detail)") \
	X(WB_ECMSALG,      "signature: unsupported algorithm (SHA-256/384/512 digests, RSA or ECDSA signatures)") \
	X(WB_ECMSSHA1,     "signature: SHA-1 digest refused (sign with -md sha256)") \
	X(WB_ECMSNOCERT,   "signature: the signer's certificate is not in the signature (sign without -nocerts)") \
	X(WB_ECMSNOANCHOR, "signature: no code-signing trust anchors in this build (build with TRUST= or CODESIGN_TRUST=)") \
	X(WB_ECMSUNTRUSTED, "signature: the signer's certificate chain does not lead to a code-signing trust anchor (TRUST=/CODESIGN_TRUST=; add the intermediate with -certfile)") \
	X(WB_ECMSCHAIN,    "signature: the signer's certificate chain was refused (see the detail)") \
	X(WB_ECMSEXPIRED,  "signature: a certificate of the signer's chain has expired") \
	X(WB_ECMSNOTYET,   "signature: a certificate of the signer's chain is not valid yet (check the clock)") \
	X(WB_ECMSNOTCODE,  "signature: the signer's certificate is not for code signing (extendedKeyUsage codeSigning required)") \
	X(WB_ECMSSIGNER,   "signature: signed by another signer than --signer names") \
	X(WB_ECMSDIGEST,   "signature: the image's digest does not match the signature (image modified, or the signature of another image)") \
	X(WB_ECMSSIG,      "signature: does not verify with the signer's public key") \
	X(WB_ENOTTRUSTED,  "image: not trusted, and imgtrust requires trusted images (verify it with imgverify first)") \
	X(WB_ETRUSTPERM,   "image trust: the requirement was made permanent (imgtrust --permanent) and cannot be changed") \
	X(WB_EHTTPREQHDR,  "HTTP request: an extra header (param --header) has a bad name or a line break in its value") \
	X(WB_ENOPARAMS,    "no such parameter list (make it first with `params [--name NAME]`)") \
	X(WB_ENOTCOMPRESSED, "image is not gzip or zlib compressed (nothing to extract)") \
	X(WB_EGZMETHOD,    "gzip: compression method is not deflate (CM 8; made by another tool?)") \
	X(WB_EGZFLAGS,     "gzip: reserved header flag bits set (not written by gzip; refused as RFC 1952 says)") \
	X(WB_EGZHEADER,    "gzip: header malformed (extra field, name or comment runs past the end of the image)") \
	X(WB_EGZHCRC,      "gzip: header checksum (FHCRC) does not match the header (corrupt image)") \
	X(WB_EZLIBHEADER,  "zlib: bad header (window size over 32 KiB)") \
	X(WB_EZLIBDICT,    "zlib: the stream needs a preset dictionary (FDICT): not supported") \
	X(WB_EINFDATA,     "inflate: corrupt compressed data (bad block type, code lengths or distance; corrupt image)") \
	X(WB_EINFTRUNC,    "inflate: compressed image truncated (it ends before its stream does; incomplete download?)") \
	X(WB_EINFTRAIL,    "inflate: bytes between the end of the compressed stream and the trailer (several gzip members, or padding: not supported)") \
	X(WB_EGZCRC,       "gzip: CRC-32 of the inflated data does not match the trailer (corrupt image)") \
	X(WB_EGZSIZE,      "gzip: inflated size differs from the size in the trailer (ISIZE; corrupt image)") \
	X(WB_EZLIBADLER,   "zlib: Adler-32 of the inflated data does not match the trailer (corrupt image)") \
	X(WB_EINFCAP,      "inflate: output larger than imgextract-max (raise it with 'set imgextract-max BYTES'; or a decompression bomb)") \
	X(WB_EBADPE,       "image: the firmware's LoadImage refused it as a PE/COFF image: is it an EFI application (or EFI-stub kernel) for this CPU, complete, and not compressed (imgextract)?") \
	X(WB_EINITRDLF2,   "image: cannot offer the initrd (LoadFile2): another initrd LoadFile2 device path is installed (firmware's own?) or the firmware refused the handle") \
	X(WB_EINITRDBIG,   "image: the initrd images together are too large to concatenate") \
	X(WB_ESANHTTPNORANGE, "HTTP SAN: the server does not serve byte ranges (it answered 200 with the whole file, not 206; enable Range support, or no proxy that strips it)") \
	X(WB_ESANHTTPRANGE, "HTTP SAN: the server answered a different byte range than asked (Content-Range does not match the request); refused, no data used") \
	X(WB_ESANHTTPSHORT, "HTTP SAN: a range response ended early (body shorter than the range; connection closed mid-response or a broken proxy)") \
	X(WB_ESANHTTPCHANGED, "HTTP SAN: the disk image changed on the server during use (ETag, Last-Modified or size differ from the first answer); refused, no data used") \
	X(WB_ESANHTTPSIZE, "HTTP SAN: the image size is not usable as a disk (empty, unknown, or not a multiple of the 512-byte block size)") \
	X(WB_EWBMAPFORMAT, "SAN manifest: not a valid .wbmap (magic, version, algorithm, chunk size or length wrong; make it with 'wireboot mkmap')") \
	X(WB_EWBMAPMISMATCH, "SAN manifest: a chunk of the disk image does not match its SHA-256 in the manifest (image and manifest differ, or the data was altered)") \
	X(WB_EWBMAPIMAGE,  "SAN manifest: made for another image (its image size differs from the server's; run 'wireboot mkmap' again)") \
	X(WB_EWBMAPTRUST,  "SAN manifest: not trusted: its SHA-256 differs from --map-sha256, or its signature does not verify")

enum wb_err {
	WB_OK = 0,
#define WB_ERR_ENUM(name, msg) name,
	WB_ERR_FIRST_ = 1000,
	WB_ERRORS(WB_ERR_ENUM)
#undef WB_ERR_ENUM
	WB_ERR_LAST_
};

/** One-line message for an error code (positive or negative). */
const char *wb_strerror(int rc);

#endif
