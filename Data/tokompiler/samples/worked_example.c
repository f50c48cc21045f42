#define N 64
typedef struct { double x; } pt_t;
double norm(pt_t *p, int n) {
    double s = 0.0, buf[N];
    char c = 'a';
    #pragma omp parallel for reduction(+:s)
    for (int i = 0; i < n; i++)
        s += p[i].x * buf[i];
    printf("%c %f\n", c, s);
    return s;
}
