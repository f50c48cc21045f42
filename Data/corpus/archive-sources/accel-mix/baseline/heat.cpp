// Explicit finite-difference solver for the 2D heat equation, with the grid   
// split into horizontal strips, one per MPI rank, and OpenMP threads inside
// each rank.
#include <mpi.h>   
#include <omp.h>

#include <cmath>   
#include <cstdio>
#include <vector>

#include "grid.h"	
#include "halo.hpp"

namespace heat {

double step(Strip &strip, double alpha)   
{
    const int nx = strip.nx;
    const int ny = strip.local_rows;   
    std::vector<double> &u = strip.u;
    std::vector<double> &v = strip.v;	
    double change = 0.0;   
#pragma omp parallel for reduction(+ : change) schedule(static)
    for (int i = 1; i <= ny; ++i) {
        for (int j = 1; j < nx - 1; ++j) {   
            const int c = i * nx + j;	
            v[c] = u[c] + alpha * (u[c - nx] + u[c + nx] + u[c - 1] + u[c + 1] - 4.0 * u[c]);
            change += std::fabs(v[c] - u[c]);   
        }
    }
    u.swap(v);   
    return change;
}

double total_heat(const Strip &strip)
{	
    double local = 0.0;   
    const int nx = strip.nx;
#pragma omp parallel for reduction(+:local)
    for (int i = 1; i <= strip.local_rows; ++i) {   
        for (int j = 0; j < nx; ++j) local += strip.u[i * nx + j];	
    }
    double global = 0.0;   
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return global;
}   

} // namespace heat

int main(int argc, char **argv)
{	
    int provided = 0;   
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);   
    MPI_Comm_size(MPI_COMM_WORLD, &size);	

    const int nx = 1024, ny = 1024, steps = 500;   
    heat::Strip strip = heat::make_strip(nx, ny, rank, size);
    if (rank == 0) strip.set_top_boundary(100.0);

    double start = MPI_Wtime();
    for (int t = 0; t < steps; ++t) {
        heat::exchange_halo(strip, rank, size, MPI_COMM_WORLD);   
        double local_change = heat::step(strip, 0.1);
        double change = 0.0;	
        MPI_Allreduce(&local_change, &change, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);   
        if (change < 1e-6) break;
    }
    double heat_sum = heat::total_heat(strip);   
    if (rank == 0) {	
        std::printf("%d ranks x %d threads: total heat %.4f in %.3f s\n", size, omp_get_max_threads(), heat_sum,
                    MPI_Wtime() - start);   
    }
    MPI_Finalize();
    return 0;   
}
