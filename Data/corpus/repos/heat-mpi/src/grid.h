// The strip of the global grid one rank owns, with one ghost row above and below.
#pragma once

#include <vector>

namespace heat {

struct Strip {
    int nx = 0;
    int local_rows = 0;
    int first_row = 0;
    std::vector<double> u;
    std::vector<double> v;

    double &at(int i, int j) { return u[static_cast<size_t>(i) * nx + j]; }

    void set_top_boundary(double value)
    {
        for (int j = 0; j < nx; ++j) {
            u[nx + j] = value;
            v[nx + j] = value;
        }
    }
};

inline Strip make_strip(int nx, int ny, int rank, int size)
{
    Strip s;
    s.nx = nx;
    const int base = ny / size;
    const int extra = ny % size;
    s.local_rows = base + (rank < extra ? 1 : 0);
    s.first_row = rank * base + (rank < extra ? rank : extra);
    s.u.assign(static_cast<size_t>(s.local_rows + 2) * nx, 0.0);
    s.v.assign(static_cast<size_t>(s.local_rows + 2) * nx, 0.0);
    return s;
}

} // namespace heat
