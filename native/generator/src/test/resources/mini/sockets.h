/* A small header for the generator's tests: C that native/sockets.h does not exercise (floating
   point, variables, by-value returns, bit fields, packed and over-aligned records, anonymous
   members, function pointers spelled every way). The functions called are libc's. */
#include <stdlib.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

#define MINI_LONG 5000000000L
#define MINI_ULL 18446744073709551615ULL
#define MINI_NEG (-3)
#define MINI_UNSIGNED 4000000000U
#define MINI_STR "text"
#define MINI_DOUBLE 1.5
#define __MINI_RESERVED 1
enum mini_state { MINI_IDLE, MINI_BUSY = 7 };

typedef void (*mini_callback)(int, double);
typedef int mini_int;
typedef double mini_real;
typedef float mini_float;
typedef long long mini_ll;
typedef unsigned char mini_byte;
typedef char *mini_string;
typedef const volatile short mini_cv;

struct mini_point { double x; float y; short s; };
struct mini_bits { unsigned a : 3; unsigned b : 5; int after; };
struct __attribute__((packed)) mini_packed { char c; int i; long l; };
struct mini_grid { int cells[2][3]; struct mini_point pts[2]; volatile int v; const char *name; enum mini_state state; mini_string *names[2]; };
struct mini_anon { int tag; union { int i; float f; }; struct { short lo, hi; } pair; mini_callback cb; void (*direct)(void); long long ll; };
struct mini_flex { int n; char data[]; };
struct mini_aligned { char c; _Alignas(16) int x; };
typedef struct { int a; mini_real r; } mini_anon_t;
typedef struct mini_point mini_point_t;
typedef mini_point_t mini_point2_t;
/* Typedefs that reach a bound struct through an unbound typedef, const, volatile: each extends its class. */
typedef struct mini_point mini_hidden_t;
typedef mini_hidden_t mini_point3_t;
typedef const struct mini_point mini_cpoint_t;
typedef volatile struct mini_point mini_vpoint_t;
union mini_value { long l; double d; char bytes[8]; };

struct mini_point mini_origin(void);
void (*mini_handler_for(int sig))(int);
void mini_fill(int grid[3], mini_callback cb, void (*)(void), void (*done)(int));
double mini_average(int n, ...);
void mini_nothing(void);
const char *mini_name(const volatile int *restrict which);
/* An 8-byte union by value that is no transparent union (it stays a union), then an unnamed scalar. */
long mini_pick(union mini_value v, long);
/* Two unnamed function pointers; a prototype a macro writes (the header's text has no parameter names for it). */
void mini_two(void (*)(int), void (*)(long));
#define MINI_DECLARE(name) void name(void (*)(int));
MINI_DECLARE(mini_declared)

extern struct mini_point mini_here;
extern struct mini_point mini_corners[4];
extern double mini_matrix[2][2];
extern union mini_value mini_union_var;
extern int mini_flex_var[];
/* Records behind qualifiers (their layout is still the record class's), and GNU C's zero-length inner dimension. */
extern const struct mini_point mini_fixed;
extern volatile struct mini_point mini_moving;
extern int mini_zero[2][0];
