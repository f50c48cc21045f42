/* Legacy reader for grid files written by the 1998 code (author: José Martínez). */
#include <stdio.h>

int read_header(FILE *f, int *nx, int *ny)
{
    return fscanf(f, "%d %d", nx, ny) == 2 ? 0 : -1;
}
