import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class LicenseDetectorTests: XCTestCase {
    func testSPDXTagInTheHeader() {
        XCTAssertEqual(LicenseDetector.spdxTag(in: Array("// SPDX-License-Identifier: Apache-2.0\nint x;\n".utf8)), "Apache-2.0")
        XCTAssertEqual(LicenseDetector.spdxTag(in: Array("/* SPDX-License-Identifier: MIT */\n".utf8)), "MIT")
        XCTAssertEqual(LicenseDetector.spdxTag(in: Array("! SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)\r\n".utf8)),
                       "(GPL-2.0-only OR BSD-3-Clause)")
        XCTAssertEqual(LicenseDetector.spdxTag(in: Array("# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception\n".utf8)),
                       "Apache-2.0 WITH LLVM-exception")
        XCTAssertNil(LicenseDetector.spdxTag(in: Array("// SPDX-License-Identifier:\n".utf8)))
        let late = String(repeating: "int x;\n", count: 70) + "// SPDX-License-Identifier: MIT\n"
        XCTAssertNil(LicenseDetector.spdxTag(in: Array(late.utf8)), "only the header counts")
    }

    func testLicenseFilesAreTopLevelOnly() {
        for name in ["LICENSE", "LICENSE.txt", "license.md", "COPYING", "COPYING.LESSER", "LICENCE"] {
            XCTAssertTrue(LicenseDetector.isLicenseFile(pathInRepo: name), name)
        }
        for name in ["src/LICENSE", "LICENSE.c", "NOTICE", "COPYRIGHT.txt"] {
            XCTAssertFalse(LicenseDetector.isLicenseFile(pathInRepo: name), name)
        }
    }

    func testTheTableMatchesTheCommonLicenses() {
        let mit = """
            MIT License\n\nCopyright (c) 2020 X\n\nPermission is hereby granted, free of charge, to any person obtaining a copy
            of this software ... The above copyright notice and this permission notice shall be included in all copies.
            """
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array(mit.utf8)), "MIT")
        let bsd3 = """
            Redistribution and use in source and binary forms, with or without
            modification, are permitted provided that the following conditions are met:
            1. Redistributions of source code must retain the above copyright notice, this list of conditions.
            3. Neither the name of the copyright holder nor the names of its contributors may be used to
               endorse or promote products derived from this software without specific prior written permission.
            """
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array(bsd3.utf8)), "BSD-3-Clause")
        let bsd2 = """
            Redistribution and use in source and binary forms, with or without modification, are permitted
            provided that: 1. Redistributions of source code must retain the above copyright notice.
            """
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array(bsd2.utf8)), "BSD-2-Clause")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("Apache License\nVersion 2.0, January 2004\n".utf8)), "Apache-2.0")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007".utf8)), "GPL-3.0")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991".utf8)), "GPL-2.0")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n... GNU General Public License".utf8)), "LGPL-3.0")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999".utf8)), "LGPL-2.1")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("Mozilla Public License Version 2.0\n==================".utf8)), "MPL-2.0")
        XCTAssertEqual(LicenseDetector.matchLicenseText(Array("Boost Software License - Version 1.0 - August 17th, 2003".utf8)), "BSL-1.0")
        XCTAssertNil(LicenseDetector.matchLicenseText(Array("All rights reserved. Do not copy.".utf8)))
        let bsd4 = bsd3 + "\n3. All advertising materials mentioning features or use of this software must display"
        XCTAssertNil(LicenseDetector.matchLicenseText(Array(bsd4.utf8)), "4-clause BSD is not in the table")
    }

    func testTheSeedCorpusLicenseFilesMatch() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/corpus")
        let cases = [("repos/stencil-omp/LICENSE", "MIT"), ("repos/heat-mpi/COPYING", "BSD-3-Clause"),
                     ("archive-sources/accel-mix/LICENSE", "BSL-1.0")]
        for (path, spdx) in cases {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(path)))
            XCTAssertEqual(LicenseDetector.matchLicenseText(bytes), spdx, path)
        }
    }
}
