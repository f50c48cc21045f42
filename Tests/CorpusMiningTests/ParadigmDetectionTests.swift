import CodeLexers
import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class ParadigmDetectionTests: XCTestCase {
    private func evidence(_ code: String, _ language: Language, path: String = "x", form: FortranForm = .free) -> [String: Int] {
        SourceAnalyzer(language: language, fortranForm: form).analyze(Array(code.utf8), path: path).evidence.counts
    }

    private func paradigms(_ code: String, _ language: Language, path: String = "x") -> [Paradigm] {
        SourceAnalyzer(language: language).analyze(Array(code.utf8), path: path).evidence.paradigms
    }

    func testCommentsAndStringsAreNotEvidence() {
        let code = """
            /* #pragma omp parallel for
               MPI_Init(&argc, &argv); */
            // cudaMalloc(&p, n); sycl::queue q;
            const char *s = "#pragma omp parallel MPI_Send( __global__ <<<1,1>>> pthread_create(";
            int f(void) { return 0; }
            """
        XCTAssertEqual(evidence(code, .c), [:])
        let fortran = """
            ! call MPI_Init(ierr)   !$omp is only a word here
            program p
              character(len=40) :: s = 'call mpi_send(x) !$omp parallel'
              print *, s
            end program p
            """
        XCTAssertEqual(evidence(fortran, .fortran), [:])
    }

    func testCFamilySignals() {
        let code = """
            #include <omp.h>
            #include "mpi.h"
            #include <pthread.h>
            int main(int argc, char **argv) {
                MPI_Init(&argc, &argv);
                #pragma omp parallel for reduction(+:s)
                for (int i = 0; i < 4; i++) s += omp_get_thread_num();
                pthread_create(&t, 0, f, 0);
                MPI_Finalize();
                return MPI_COMM_WORLD != 0;
            }
            """
        XCTAssertEqual(evidence(code, .c), [
            "openmp:include omp.h": 1, "openmp:#pragma omp": 1, "openmp:omp_*()": 1, "mpi:include mpi.h": 1,
            "mpi:MPI_*()": 2, "pthreads:include pthread.h": 1, "pthreads:pthread_*()": 1,
        ])
    }

    func testKernelsBelongToCUDAUnlessTheFileIsHIP() {
        let cuda = "__global__ void k(float *x) { x[0] = 1; }\nvoid run(float *d) { k<<<1, 1>>>(d); cudaDeviceSynchronize(); }\n"
        XCTAssertEqual(evidence(cuda, .cuda, path: "a.cu"), [
            "cuda:__global__": 1, "cuda:<<<>>>": 1, "cuda:cuda*()": 1, "cuda:file extension .cu": 1,
        ])
        let hip = "#include <hip/hip_runtime.h>\n__global__ void k(float *x) { x[0] = 1; }\nvoid run(float *d) { hipLaunchKernelGGL(k, 1, 1, 0, 0, d); }\n"
        XCTAssertEqual(paradigms(hip, .cpp), [.hip])
        XCTAssertEqual(evidence(hip, .cpp)["hip:__global__"], 1)
    }

    func testPortabilityLayersAndTaskParallelism() {
        XCTAssertEqual(paradigms("#include <sycl/sycl.hpp>\nvoid f() { sycl::queue q; }\n", .cpp), [.sycl])
        XCTAssertEqual(paradigms("using namespace sycl;\nvoid f() { queue q; }\n", .cpp), [.sycl])
        XCTAssertEqual(paradigms("#include <tbb/parallel_for.h>\nvoid f() {}\n", .cpp), [.tbb])
        XCTAssertEqual(paradigms("void f() { tbb::parallel_for(0, 4, g); }\n", .cpp), [.tbb])
        XCTAssertEqual(paradigms("#include <Kokkos_Core.hpp>\nvoid f() { Kokkos::parallel_for(4, KOKKOS_LAMBDA(int i) {}); }\n", .cpp),
                       [.kokkos])
        XCTAssertEqual(evidence("long f(int n) { long x = cilk_spawn f(n - 1); cilk_sync; return x; }\n", .c),
                       ["cilk:cilk_spawn": 1, "cilk:cilk_sync": 1])
        XCTAssertEqual(paradigms("void f(int n) { cilk_for (int i = 0; i < n; i++) g(i); }\n", .c), [.cilk])
        XCTAssertEqual(paradigms("__kernel void add(__global float *a) { a[get_global_id(0)] += 1; }\n", .opencl, path: "k.cl"),
                       [.opencl])
        XCTAssertEqual(paradigms("#include <CL/cl.h>\nvoid f() { clBuildProgram(p, 0, 0, 0, 0, 0); }\n", .c), [.opencl])
        XCTAssertEqual(paradigms("void clean(int *p) { clamp(p); }\n", .c), [], "cl + a non-API word is not OpenCL")
        XCTAssertEqual(paradigms("#pragma acc parallel loop\nfor (int i = 0; i < n; i++) a[i] = 0;\n", .c), [.openacc])
    }

    func testFortranSignals() {
        let free = """
            program p
              use mpi
              use omp_lib
              implicit none
              integer :: ierr, i
              call MPI_Init(ierr)
              !$omp parallel do private(i)
              do i = 1, 10
                print *, omp_get_thread_num()
              end do
              !$omp end parallel do
              !$acc kernels
              call mpi_finalize(ierr)
            end program p
            """
        XCTAssertEqual(evidence(free, .fortran), [
            "mpi:use mpi": 1, "mpi:MPI_*()": 2, "openmp:use omp_lib": 1, "openmp:!$omp": 2, "openmp:omp_*()": 1,
            "openacc:!$acc": 1,
        ])
        let fixed = """
                  PROGRAM P
                  INCLUDE 'mpif.h'
                  INTEGER IERR
                  CALL MPI_INIT(IERR)
            C$OMP PARALLEL DO
                  DO 10 I = 1, 10
               10 CONTINUE
                  END
            """
        XCTAssertEqual(evidence(fixed, .fortran, form: .fixed), ["mpi:include mpif.h": 1, "mpi:MPI_*()": 1, "openmp:!$omp": 1])
    }

    func testFunctionsAndOpenMPLoops() throws {
        let code = """
            #include <omp.h>
            static double sum(const double *a, int n)
            {
                double s = 0.0;
                #pragma omp parallel for reduction(+:s) /* hot loop */
                for (int i = 0; i < n; i++) {
                    s += a[i];
                }
                return s;
            }

            void scale(double *a, int n) { for (int i = 0; i < n; i++) a[i] *= 2; }
            """
        let analysis = SourceAnalyzer(language: .c).analyze(Array(code.utf8), path: "s.c")
        XCTAssertEqual(analysis.functions.map(\.name), ["sum", "scale"])
        XCTAssertEqual(analysis.functions.first?.startLine, 2)
        XCTAssertEqual(analysis.functions.first?.endLine, 10)
        XCTAssertEqual(analysis.functions.first?.paradigms, [.openmp])
        XCTAssertEqual(analysis.functions.last?.paradigms, [])
        let loop = try XCTUnwrap(analysis.ompLoops.first)
        XCTAssertEqual(analysis.ompLoops.count, 1)
        let bytes = Array(code.utf8)
        XCTAssertTrue(String(decoding: bytes[loop.start..<loop.end], as: UTF8.self).hasPrefix("for (int i = 0;"))
        XCTAssertTrue(String(decoding: bytes[loop.start..<loop.end], as: UTF8.self).hasSuffix("}"))
        XCTAssertEqual(String(decoding: bytes[loop.directiveStart..<loop.directiveEnd], as: UTF8.self),
                       "#pragma omp parallel for reduction(+:s) /* hot loop */")
        XCTAssertFalse(loop.directiveText.contains("hot"))
        XCTAssertEqual(OpenMPDirective.normalize(loop.directiveText, language: .c), "parallel for reduction(+:s) ")
    }
}
