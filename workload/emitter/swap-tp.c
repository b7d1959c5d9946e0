/*
 * Instantiates the `swap` provider's probes (lttng-ust convention: this file
 * only defines LTTNG_UST_TRACEPOINT_CREATE_PROBES before the header).
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "swap-tp.h"
