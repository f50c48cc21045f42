import StageKit
import XCTest

/// Text from inputs placed in generated HTML and SVG can neither open a tag nor end an attribute of either quote.
final class MarkupTextTests: XCTestCase {
    func testEveryCharacterThatEndsTextOrAnAttributeIsAReference() {
        XCTAssertEqual(MarkupText.escaped(#"a<b & "c" 'd' >"#), "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;")
        XCTAssertEqual(MarkupText.escaped("</title><script>"), "&lt;/title&gt;&lt;script&gt;")
        XCTAssertEqual(MarkupText.escaped("µ-op — ok"), "µ-op — ok")
        XCTAssertEqual(MarkupText.escaped(""), "")
    }
}
