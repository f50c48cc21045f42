/* Recursive Fibonacci and a parallel loop with OpenCilk keywords. */
#include <cilk/cilk.h>
#include <stdio.h>
#include <stdlib.h>

long fib(int n)
{
    if (n < 2) {
        return n;
    }
    long x = cilk_spawn fib(n - 1);
    long y = fib(n - 2);
    cilk_sync;
    return x + y;
}

void square_all(long *values, int n)
{
    cilk_for (int i = 0; i < n; i++) {
        values[i] = values[i] * values[i];
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 30;
    long result = fib(n);
    long values[16];
    for (int i = 0; i < 16; i++) {
        values[i] = i;
    }
    square_all(values, 16);
    printf("fib(%d) = %ld, last square = %ld\n", n, result, values[15]);
    return 0;
}
