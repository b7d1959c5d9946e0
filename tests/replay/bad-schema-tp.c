/*
 * Instantiates the test-only `swap` provider of bad-schema-tp.h (lttng-ust
 * convention: this file only defines LTTNG_UST_TRACEPOINT_CREATE_PROBES).
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "bad-schema-tp.h"
