// SPDX-License-Identifier: GPL-2.0-only
/*
 * lttng-probe-swap.c
 *
 * LTTng probes for the swap slot events of swaptrace's kernel patch
 * (kernel/patches/linux-6.1).  Built inside the lttng-modules 2.13.9 tree
 * by kernel/qemu/swaptrace-qemu: this file goes to src/probes/, swap.h to
 * include/instrumentation/events/.
 */

#include <linux/module.h>
#include <lttng/tracer.h>

/*
 * Create the tracepoint static inlines from the kernel to validate that our
 * trace event macros match the kernel we run on.
 */
#include <trace/events/swap.h>

#include <lttng/kernel-version.h>

/*
 * Create LTTng tracepoint probes.
 */
#define LTTNG_PACKAGE_BUILD
#define CREATE_TRACE_POINTS
#define TRACE_INCLUDE_PATH instrumentation/events

#include <instrumentation/events/swap.h>

MODULE_LICENSE("GPL and additional rights");
MODULE_DESCRIPTION("LTTng swap slot probes (swaptrace event schema v2)");
MODULE_VERSION(__stringify(LTTNG_MODULES_MAJOR_VERSION) "."
	__stringify(LTTNG_MODULES_MINOR_VERSION) "."
	__stringify(LTTNG_MODULES_PATCHLEVEL_VERSION)
	LTTNG_MODULES_EXTRAVERSION);
