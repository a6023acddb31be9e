/* SPDX-License-Identifier: MIT */
/*
 * Virtio 1.x over PCI ("modern" virtio-pci), what a block driver needs:
 * capability types, the common configuration registers, status and
 * feature bits, the block device's configuration and request format.
 * Numbers from the virtio 1.2 specification (sections 4.1 and 5.2).
 *
 * Everything the device sees is little-endian. Ring memory and registers
 * are read and written through vio_ld* / vio_st* (explicit conversion, no
 * casts of memory to structs, no packed structs), so the same code is
 * right on a big-endian host, where the host tests run too.
 */
#ifndef VIRTIO_H
#define VIRTIO_H

#include <stdint.h>

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEVICE_BLK 0x1042 /**< 0x1040 + device type 2 */

/* -- virtio PCI capabilities (vendor-specific, PCI cap id 0x09) --------- */
#define VIRTIO_PCI_CAP_ID 0x09
#define VIRTIO_PCI_CAP_COMMON 1 /**< struct common cfg below */
#define VIRTIO_PCI_CAP_NOTIFY 2 /**< queue doorbells */
#define VIRTIO_PCI_CAP_ISR 3	/**< one byte, read to clear */
#define VIRTIO_PCI_CAP_DEVICE 4 /**< device-specific configuration */
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* Byte offsets in struct virtio_pci_cap. */
enum virtio_pci_cap_off {
	VIRTIO_CAP_VNDR = 0,	 /**< u8: 0x09 */
	VIRTIO_CAP_NEXT = 1,	 /**< u8: next capability */
	VIRTIO_CAP_LEN = 2,	 /**< u8: length of this capability */
	VIRTIO_CAP_CFG_TYPE = 3, /**< u8: VIRTIO_PCI_CAP_* */
	VIRTIO_CAP_BAR = 4,	 /**< u8: BAR index 0..5 */
	VIRTIO_CAP_ID = 5,	 /**< u8: which of several of one type */
	VIRTIO_CAP_OFFSET = 8,	 /**< le32: offset in the BAR */
	VIRTIO_CAP_LENGTH = 12,	 /**< le32: length of the structure */
	VIRTIO_CAP_NOTIFY_MULT = 16, /**< le32: notify cap only */
};
#define VIRTIO_CAP_MIN_LEN 16
#define VIRTIO_NOTIFY_CAP_MIN_LEN 20

/* -- common configuration (offsets in the COMMON structure) ------------- */
enum virtio_common_off {
	VIO_DEV_FEATURE_SEL = 0x00, /**< le32 RW */
	VIO_DEV_FEATURE = 0x04,	    /**< le32 RO */
	VIO_DRV_FEATURE_SEL = 0x08, /**< le32 RW */
	VIO_DRV_FEATURE = 0x0c,	    /**< le32 RW */
	VIO_MSIX_CONFIG = 0x10,	    /**< le16 RW */
	VIO_NUM_QUEUES = 0x12,	    /**< le16 RO */
	VIO_STATUS = 0x14,	    /**< u8 RW; write 0 resets */
	VIO_CONFIG_GEN = 0x15,	    /**< u8 RO */
	VIO_Q_SELECT = 0x16,	    /**< le16 RW */
	VIO_Q_SIZE = 0x18,	    /**< le16 RW: max on read, power of 2 */
	VIO_Q_MSIX = 0x1a,	    /**< le16 RW */
	VIO_Q_ENABLE = 0x1c,	    /**< le16 RW */
	VIO_Q_NOTIFY_OFF = 0x1e,    /**< le16 RO */
	VIO_Q_DESC = 0x20,	    /**< le64 RW: descriptor table */
	VIO_Q_DRIVER = 0x28,	    /**< le64 RW: available ring */
	VIO_Q_DEVICE = 0x30,	    /**< le64 RW: used ring */
};
#define VIO_COMMON_MIN_LEN 0x38

/* Device status bits. */
#define VIO_S_ACKNOWLEDGE 1u
#define VIO_S_DRIVER 2u
#define VIO_S_DRIVER_OK 4u
#define VIO_S_FEATURES_OK 8u
#define VIO_S_NEEDS_RESET 64u
#define VIO_S_FAILED 128u

/* Feature bits (64-bit feature word). */
#define VIO_F_BLK_SIZE_MAX 1
#define VIO_F_BLK_SEG_MAX 2
#define VIO_F_BLK_RO 5
#define VIO_F_BLK_BLK_SIZE 6
#define VIO_F_BLK_FLUSH 9
#define VIO_F_VERSION_1 32
#define VIO_F_ACCESS_PLATFORM 33
#define VIO_BIT(n) (1ull << (n))

/* ISR status bits. */
#define VIO_ISR_QUEUE 1u
#define VIO_ISR_CONFIG 2u

/* -- block device configuration (offsets in the DEVICE structure) ------- */
enum virtio_blk_cfg_off {
	VIO_BLK_CAPACITY = 0,  /**< le64: 512-byte sectors */
	VIO_BLK_SIZE_MAX = 8,  /**< le32: max bytes per segment */
	VIO_BLK_SEG_MAX = 12,  /**< le32: max segments per request */
	VIO_BLK_BLK_SIZE = 20, /**< le32: block size */
};

/* -- requests ----------------------------------------------------------- */
#define VIO_BLK_T_IN 0	  /**< read */
#define VIO_BLK_T_OUT 1	  /**< write */
#define VIO_BLK_T_FLUSH 4
#define VIO_BLK_HDR_SIZE 16 /**< le32 type, le32 reserved, le64 sector */
#define VIO_BLK_S_OK 0
#define VIO_BLK_S_IOERR 1
#define VIO_BLK_S_UNSUPP 2
#define VIO_SECTOR_SIZE 512u

/* -- split virtqueue layout (2.7) --------------------------------------- */
#define VRING_DESC_SIZE 16	 /**< le64 addr, le32 len, le16 flags, le16 next */
#define VRING_DESC_F_NEXT 1u
#define VRING_DESC_F_WRITE 2u
#define VRING_AVAIL_HDR 4	 /**< le16 flags, le16 idx, then le16 ring[] */
#define VRING_USED_HDR 4	 /**< le16 flags, le16 idx, then elems */
#define VRING_USED_ELEM 8	 /**< le32 id, le32 len */

/* -- little-endian memory access ---------------------------------------- */
/*
 * Ring fields are naturally aligned and shared with a device that reads
 * them concurrently (an index must never be seen half-written), so each is
 * one aligned access of its own width, converted to or from little-endian.
 * Callers guarantee the alignment.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define VIO_LE16(v) __builtin_bswap16(v)
#define VIO_LE32(v) __builtin_bswap32(v)
#define VIO_LE64(v) __builtin_bswap64(v)
#else
#define VIO_LE16(v) (v)
#define VIO_LE32(v) (v)
#define VIO_LE64(v) (v)
#endif

static inline uint16_t vio_ld16(const volatile void *p)
{
	return VIO_LE16(*(const volatile uint16_t *)p);
}

static inline uint32_t vio_ld32(const volatile void *p)
{
	return VIO_LE32(*(const volatile uint32_t *)p);
}

static inline uint64_t vio_ld64(const volatile void *p)
{
	return VIO_LE64(*(const volatile uint64_t *)p);
}

static inline void vio_st16(volatile void *p, uint16_t v)
{
	*(volatile uint16_t *)p = VIO_LE16(v);
}

static inline void vio_st32(volatile void *p, uint32_t v)
{
	*(volatile uint32_t *)p = VIO_LE32(v);
}

static inline void vio_st64(volatile void *p, uint64_t v)
{
	*(volatile uint64_t *)p = VIO_LE64(v);
}

#endif
