/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space registers used by the PCI server core
 * (PCI Local Bus 3.0, PCI-to-PCI Bridge 1.2, PCI Express Base 4.0).
 * Offsets are byte offsets into a function's configuration space; all
 * multi-byte registers are little-endian in configuration space, and the
 * pci_cfg_read()/pci_cfg_write() hooks move them as CPU integers.
 *
 * Names carry a PCI_REG_ prefix so they never collide with libpci's
 * <pci/header.h> (the host tool includes that one instead).
 */
#ifndef RIFT_PCI_REGS_H
#define RIFT_PCI_REGS_H

/** Common header (types 0 and 1). */
enum pci_reg_common {
	PCI_REG_VENDOR_ID = 0x00,   /**< RO 16: 0xffff = no function. */
	PCI_REG_DEVICE_ID = 0x02,   /**< RO 16. */
	PCI_REG_COMMAND = 0x04,	    /**< RW 16: decode and master enables. */
	PCI_REG_STATUS = 0x06,	    /**< RO/RW1C 16. */
	PCI_REG_CLASS_REV = 0x08,   /**< RO 32: class << 8 | revision. */
	PCI_REG_HEADER_TYPE = 0x0e, /**< RO 8: layout in 6:0, bit 7 MF. */
	PCI_REG_BAR0 = 0x10,	    /**< RW 32: first base address. */
	PCI_REG_CAP_PTR = 0x34,	    /**< RO 8: first capability. */
	PCI_REG_INT_PIN = 0x3d,	    /**< RO 8: 0 none, 1..4 = INTA..D. */
};

/** Type 0 (endpoint) header. */
enum pci_reg_type0 {
	PCI_REG_ROM = 0x30, /**< RW 32: expansion ROM base. */
};

/** Type 1 (PCI-to-PCI bridge) header. */
enum pci_reg_type1 {
	PCI_REG_PRIMARY_BUS = 0x18,	/**< RW 8. */
	PCI_REG_SECONDARY_BUS = 0x19,	/**< RW 8. */
	PCI_REG_SUBORDINATE_BUS = 0x1a, /**< RW 8. */
	PCI_REG_IO_BASE = 0x1c,	   /**< RW 8: addr 15:12 in 7:4, 3:0 type. */
	PCI_REG_IO_LIMIT = 0x1d,   /**< RW 8: as IO_BASE. */
	PCI_REG_MEM_BASE = 0x20,   /**< RW 16: addr 31:20 in 15:4. */
	PCI_REG_MEM_LIMIT = 0x22,  /**< RW 16: as MEM_BASE. */
	PCI_REG_PREF_BASE = 0x24,  /**< RW 16: addr 31:20 in 15:4, type. */
	PCI_REG_PREF_LIMIT = 0x26, /**< RW 16: as PREF_BASE. */
	PCI_REG_PREF_BASE_UPPER = 0x28,	 /**< RW 32: addr 63:32 (64-bit). */
	PCI_REG_PREF_LIMIT_UPPER = 0x2c, /**< RW 32: addr 63:32 (64-bit). */
	PCI_REG_IO_BASE_UPPER = 0x30,	 /**< RW 16: addr 31:16 (32-bit I/O). */
	PCI_REG_IO_LIMIT_UPPER = 0x32,	 /**< RW 16: addr 31:16 (32-bit I/O). */
	PCI_REG_ROM1 = 0x38,		 /**< RW 32: bridge expansion ROM. */
};

/** Header type values (PCI_REG_HEADER_TYPE). */
enum pci_header {
	PCI_HEADER_LAYOUT_MASK = 0x7f,
	PCI_HEADER_MULTIFUNCTION = 0x80,
	PCI_HEADER_ENDPOINT = 0x00,
	PCI_HEADER_BRIDGE = 0x01,
	PCI_HEADER_CARDBUS = 0x02,
};

/** Command register bits. */
enum pci_command {
	PCI_COMMAND_IO = 0x1,	  /**< I/O space decode. */
	PCI_COMMAND_MEMORY = 0x2, /**< Memory space decode. */
	PCI_COMMAND_MASTER = 0x4, /**< Bus mastering (DMA, MSI). */
	PCI_COMMAND_DECODE_MASK = 0x7,
};

/** Status register bits. */
enum pci_status {
	PCI_STATUS_CAP_LIST = 0x10, /**< Capability list present. */
};

/** Base address register bits. */
enum pci_bar_bits {
	PCI_BAR_SPACE_IO = 0x1,
	PCI_BAR_IO_MASK = 0x3,
	PCI_BAR_MEM_TYPE_MASK = 0x6,
	PCI_BAR_MEM_TYPE_32 = 0x0,
	PCI_BAR_MEM_TYPE_1M = 0x2, /**< Legacy "below 1 MiB". */
	PCI_BAR_MEM_TYPE_64 = 0x4,
	PCI_BAR_MEM_PREFETCH = 0x8,
	PCI_BAR_MEM_MASK = 0xf,
};

/** Bridge window type nibbles. */
enum pci_window_bits {
	PCI_IO_RANGE_TYPE_MASK = 0x0f,
	PCI_IO_RANGE_TYPE_32 = 0x01,
	PCI_PREF_RANGE_TYPE_MASK = 0x000f,
	PCI_PREF_RANGE_TYPE_64 = 0x0001,
};

/** Capability IDs the core looks at. */
enum pci_cap_id {
	PCI_CAP_ID_EXP = 0x10, /**< PCI Express. */
};

/** PCI Express capability: device/port type in flags 7:4. */
enum pci_exp {
	PCI_EXP_FLAGS = 0x2,
	PCI_EXP_TYPE_SHIFT = 4,
	PCI_EXP_TYPE_MASK = 0xf,
	PCI_EXP_TYPE_ROOT_PORT = 0x4,
	PCI_EXP_TYPE_DOWNSTREAM = 0x6,
	PCI_EXP_TYPE_PCIE_BRIDGE = 0x8, /**< PCI/PCI-X to PCIe bridge. */
};

#endif
