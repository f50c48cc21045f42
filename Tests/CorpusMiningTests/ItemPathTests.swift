import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class ItemPathTests: XCTestCase {
    func testArchiveEntries() {
        XCTAssertEqual(ItemPath.split(locator: "../Data/a.tar.gz!repo/src/x.c", repo: "repo"), ItemPath(repo: "repo", path: "src/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "a.tar.gz!repo/src/x.c", repo: nil), ItemPath(repo: "repo", path: "src/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "pk.tgz!x.c", repo: nil), ItemPath(repo: "pk", path: "x.c"))
        XCTAssertEqual(ItemPath.split(locator: "a.zip!top/x.c", repo: "mine"), ItemPath(repo: "mine", path: "top/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "a.tar.zst!./r/x.c", repo: nil), ItemPath(repo: "r", path: "x.c"))
    }

    func testTheSeparatorIsTheFirstBangAfterAnArchiveExtensionInAnyCase() {
        // A `!` in a folder name is not the separator; the extension may be upper-case; non-ASCII before it
        // must not shift the split (lower-casing `İ` grows it by a byte).
        XCTAssertEqual(ItemPath.split(locator: "/d/wow!/İ/P.TAR.GZ!top/src/x.c", repo: nil),
                       ItemPath(repo: "top", path: "src/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "/d/a.tgz.bak!x/y.c", repo: nil), ItemPath(repo: "a.tgz.bak!x", path: "y.c"))
        XCTAssertEqual(ItemPath.split(locator: "/d/Z.Zip!r/x.c", repo: nil), ItemPath(repo: "r", path: "x.c"))
    }

    func testFolderFiles() {
        XCTAssertEqual(ItemPath.split(locator: "../Data/corpus/repos/heat/src/x.c", repo: "heat"), ItemPath(repo: "heat", path: "src/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "heat/src/heat/x.c", repo: "heat"), ItemPath(repo: "heat", path: "src/heat/x.c"))
        XCTAssertEqual(ItemPath.split(locator: "../loose/x.c", repo: nil), ItemPath(repo: "loose", path: "x.c"))
        XCTAssertEqual(ItemPath.split(locator: "x.c", repo: nil), ItemPath(repo: "unknown", path: "x.c"))
        XCTAssertEqual(ItemPath.split(locator: "../a/b.c", repo: "named"), ItemPath(repo: "named", path: "b.c"))
    }
}
