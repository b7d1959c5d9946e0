/*
 * Functions banned from replay/ because they would let the clock, the
 * machine or chance reach the output (DESIGN.md §6: the same trace gives
 * the same database, byte for byte).  As in git's banned.h, include this
 * after every system header; a use becomes a compile error naming the
 * function.
 *
 * g_get_monotonic_time() stays allowed: it paces the terminal progress
 * line, which never reaches the output.
 */
#ifndef SWAPTRACE_BANNED_H
#define SWAPTRACE_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function_in_swaptrace

#undef time
#define time(...) BANNED(time)
#undef gettimeofday
#define gettimeofday(...) BANNED(gettimeofday)
#undef localtime
#define localtime(...) BANNED(localtime)
#undef localtime_r
#define localtime_r(...) BANNED(localtime_r)
#undef rand
#define rand(...) BANNED(rand)
#undef random
#define random(...) BANNED(random)
#undef g_get_real_time
#define g_get_real_time(...) BANNED(g_get_real_time)
#undef g_random_int
#define g_random_int(...) BANNED(g_random_int)
#undef g_random_int_range
#define g_random_int_range(...) BANNED(g_random_int_range)
#undef g_random_double
#define g_random_double(...) BANNED(g_random_double)
#undef g_random_double_range
#define g_random_double_range(...) BANNED(g_random_double_range)
#undef g_random_boolean
#define g_random_boolean(...) BANNED(g_random_boolean)
#undef g_random_set_seed
#define g_random_set_seed(...) BANNED(g_random_set_seed)
#undef g_get_host_name
#define g_get_host_name(...) BANNED(g_get_host_name)

#endif
