// Package content reads an uploaded image into the `content` facts of a material: what kind of
// document it really is, the numbers printed on it, and the faces in it.
//
// # Pipeline
//
// Reader.Read scales the image to a long side of at most Options.MaxSide, runs the text engine
// (PaddleOCR through content/ocr) over it, decides the kind from the text, reads the fields the
// kind carries, and runs the pigo face finder (pure Go, cascade embedded from pigo v1.4.6).
//
// # Kind
//
// kinds.json (embedded, parsed by NewReader) gives every document kind a signature: keywords with
// weights, titles weighing most (中华人民共和国机动车驾驶证), distinctive labels carrying the
// decision (驾驶证 and 行驶证 differ by one character, so 准驾车型, 初次领证日期, 车辆识别代号,
// 发动机号码, 档案编号, 检验记录, 签发机关, 公民身份号码, 从业资格类别, 违章记录, 业户名称,
// 经营许可证号, 学时, 继续教育 … decide), and negative weights for labels that rule the kind out
// (副页 and 档案编号 against the driving-licence main page; the front labels against the
// vehicle licence's inspection back). A keyword is searched in the text of all lines joined in
// reading order (white space dropped, full-width ASCII folded) with an approximate substring
// search (Levenshtein over runes). Keywords of up to three runes must match exactly; longer ones
// may carry 1 (4–6 runes), 2 (7–10) or 3 edits, and count weight·(1−d/len)². A kind's score is
// the sum of its signals; the best kind wins when its score reaches min_score.
//
// Confidence is calibrated from the best score s and its margin m over the runner-up:
// (1−e^(−s/score_scale))·(1−e^(−m/margin_scale)). Both must be large: a title shared but for
// one character by two kinds leaves the margin small, so a confusion between near kinds never
// gets a confident answer. The scales were tuned on the docgen test set so that clean
// documents reach 0.90 and no wrong kind does (TestTestSet checks both).
//
// The identity card's front and back both give its one kind. The driving licence main page and its 副页 are told
// apart by 副页, 档案编号 and 记录 (for) and 准驾车型, 初次领证日期 (against); the vehicle licence
// front (with or without the 副页 front) and the 副页 back by the front labels: the back shows
// only 检验记录 stamps (检验有效期至 YYYY年MM月).
//
// # Pictures
//
// Faces: pigo's cascade on a grey copy scaled to a short side of 480 (MinSize 20, shift 0.1,
// scale 1.1, IoU 0.2), keeping clusters of quality ≥ 20 (faces on the set score 160–400,
// print noise ≤ 11); pigo's clusters can overlap, so a cluster centred inside a better one is
// dropped. Faces.Largest is the largest face side over the image short side,
// LargestPx that side in pixels of the upload.
//
// With no document signature, the picture rules decide (photo faces are searched upright,
// then turned 90°, 270°, 180° when the picture has no text); kinds.json "pictures" names the
// kind each rule gives ("by": "face" the ID photo, "by": "plate" the vehicle photo):
//   - the ID photo (by face): one face (no other at least half its size), its side ≥ 0.25 of the short
//     side, flat strips beside the head (mean grey gradient ≤ 12); confidence 0.80 rising to
//     0.95 at a face of half the short side (a close-up selfie on a wall is the look-alike);
//   - life_photo: several comparable faces (0.90), one small face (0.85), one large face on a
//     busy background (0.70);
//   - the vehicle photo (by plate): no face, a well-formed plate read (0.85);
//   - other_photo: none of these (0.60).
//
// # Rotation
//
// The engine reads lines on their side itself. Each line's text direction is taken from its box
// (Box[0]→Box[1], or Box[1]→Box[2] when ocr.Line.Angle says the tall cut was turned, reversed
// when it says flipped): ocr.Line.Angle alone misses long lines on their side, which the engine
// cuts along their own long side. When most of the text (counted in runes) runs another way than
// left to right, the page's turn is that direction: boxes are turned into the upright frame and
// the lines put back in reading order before the kind and fields are read. When no signature
// reaches min_score and the picture has text (≥ 12 Han characters, ≥ 8 lines or ≥ 3 upright
// boxes), the image is turned 90°, 270°, 180° (the turn the line directions suggest first) and
// read again, stopping at the first confident reading. Faces are searched in the turned image.
// Rotation is the clockwise turn the upload needed (0, 90, 180, 270).
//
// # Fields
//
// Which fields a kind carries is kinds.json's: "fields" at the top are read on every image,
// each kind's "fields" on that kind, "picture_fields" on a picture with no document signature.
// A field is read either by a finder over the whole page ({"find": "id_number"} or "plate") or
// as the value after one of its labels ({"labels": [...], "value": ...}, the value read as a
// name, certificate, transport_certificate or archive number), so a new kind, or a new field
// of one, is a JSON edit; parseKinds refuses an unknown finder or value reader. The readers:
//
// id_number: an 18-character run anywhere, valid when the GB 11643 check digit holds and the
// birth date is real and not in the future; O/D→0, I/l→1 and x→X are repaired only when the
// repaired number is valid (else the reading is reported with valid=false). name: 2–4 Han
// characters after 姓名 on the same line (ending at the next label, copy watermarks such as
// 复印无效 taken out), in the box to its right along the page's skew (the median slope of the
// long lines: a photographed page is rarely square), or on the line below; for the vehicle
// licence, the owner after 所有人 when it is a person. plate: province character, letter, 5 (or 6 for new-energy plates)
// letters and digits; · and spaces tolerated, O→0 and I→1 in the tail; valid = well-formed.
// certificate_number: 证号 (driving licence), 从业资格证号/证号 (qualification, study record),
// 道路运输证号 (transport certificate: 豫交运管许可郑字410100123456号 or 12 digits).
// archive_number: 12 digits after 档案编号 (driving licence 副页, vehicle licence). A field's
// confidence is the OCR score of the line its value came from.
//
// # Status
//
//   - read: the text engine ran; kind, fields and faces are its decision.
//   - unavailable: no text engine (NewReader(nil, …)). Faces still run; kind is the ID photo or
//     life_photo when the face rules decide (confidence at most 0.5, since a card portrait cannot
//     be ruled out without text), else unknown.
//   - timeout: the work passed Options.Budget (counted from when a worker took the image), or
//     the caller's context ended while waiting for a worker or during the work. Read returns at
//     once; the worker slot stays held until the engine returns, so Options.Workers bounds the
//     CPU whatever the callers do.
//   - failed: the text engine returned an error, the image was nil or empty, or the reader
//     panicked (recovered).
//   - not_read: never set here; the caller uses it for bytes that do not decode as PNG/JPEG.
//
// Kind is "unknown" on every status but read and unavailable.
package content
