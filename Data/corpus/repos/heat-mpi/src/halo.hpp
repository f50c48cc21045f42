// Ghost-row exchange between neighbouring strips.
#pragma once

#include <mpi.h>

#include "grid.h"

namespace heat {

inline void exchange_halo(Strip &strip, int rank, int size, MPI_Comm comm)
{
    const int nx = strip.nx;
    const int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    const int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    double *first = strip.u.data() + nx;
    double *last = strip.u.data() + static_cast<size_t>(strip.local_rows) * nx;
    double *ghost_top = strip.u.data();
    double *ghost_bottom = strip.u.data() + static_cast<size_t>(strip.local_rows + 1) * nx;
    MPI_Request requests[4];
    MPI_Irecv(ghost_top, nx, MPI_DOUBLE, up, 1, comm, &requests[0]);
    MPI_Irecv(ghost_bottom, nx, MPI_DOUBLE, down, 0, comm, &requests[1]);
    MPI_Isend(first, nx, MPI_DOUBLE, up, 0, comm, &requests[2]);
    MPI_Isend(last, nx, MPI_DOUBLE, down, 1, comm, &requests[3]);
    MPI_Waitall(4, requests, MPI_STATUSES_IGNORE);
}

inline void broadcast_parameters(double &alpha, int &steps, MPI_Comm comm)
{
    MPI_Bcast(&alpha, 1, MPI_DOUBLE, 0, comm);
    MPI_Bcast(&steps, 1, MPI_INT, 0, comm);
}

} // namespace heat
