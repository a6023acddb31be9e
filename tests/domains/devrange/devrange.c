/* SPDX-License-Identifier: MIT */
/*
 * devrange (tests/system/device_ranges.dts): its description gives it
 * `device = <the PL031 RTC page>, <two GPIO pages>` and
 * `irq-control = <40 2>`. Frames inside the ranges must be granted by one
 * of the "device" capabilities, frames outside refused by all; interrupts
 * 40 and 41 may be bound, 39 and 42 not.
 */
#include <rift/caps.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>

#include "../common.h"

/** A device frame at @pa from any of the "device" capabilities. */
static long frame(uint64_t pa)
{
	const struct rift_cap_entry *dev = rt_cap_find("device");
	uint64_t slot = rt_slot_alloc();
	long err = RIFT_KERANGE;

	TEST_REQUIRE(dev && dev->count == 2 && slot, "no ranged 'device'");
	for (uint32_t i = 0; i < dev->count && err == RIFT_KERANGE; i++) {
		err = rift_device_frame(dev->slot + i, slot, pa, 0);
	}
	if (err == 0) {
		rift_cap_delete(slot);
	}
	rt_slot_free(slot);
	return err;
}

static long bind(uint32_t intid)
{
	uint64_t ntfn = rt_slot_alloc(), handler = rt_slot_alloc();
	long err = rift_notification_create(ntfn);

	TEST_REQUIRE(err == 0, "notification: %ld", err);
	err = rift_irq_bind(test_cap("irq-control"), intid, handler, ntfn, 0);
	rift_cap_delete(handler);
	rift_cap_delete(ntfn);
	rt_slot_free(handler);
	rt_slot_free(ntfn);
	return err;
}

int main(void)
{
	TEST_REQUIRE(frame(0x09010000) == 0, "RTC page refused");
	TEST_REQUIRE(frame(0x09030000) == 0, "GPIO page refused");
	TEST_REQUIRE(frame(0x09031000) == 0, "second GPIO page refused");
	TEST_REQUIRE(frame(0x09000000) == RIFT_KERANGE, "UART page granted");
	TEST_REQUIRE(frame(0x09032000) == RIFT_KERANGE, "page past the range "
		     "granted");
	TEST_REQUIRE(frame(0x10000000) == RIFT_KERANGE, "PCI window granted");
	TEST_REQUIRE(bind(40) == 0, "INTID 40 refused");
	TEST_REQUIRE(bind(41) == 0, "INTID 41 refused");
	TEST_REQUIRE(bind(39) != 0, "INTID 39 bound");
	TEST_REQUIRE(bind(42) != 0, "INTID 42 bound");
	printf("devrange: ranged device and irq-control hold\n");
	return 0;
}
