// Package docgen generates a seeded test set of the uploads roadcheck's document reader
// sees: mock Chinese documents and photos with the truth of what each one shows, so that the
// kind classifier, field extraction and face checks can be measured and tuned without real
// personal documents.
//
// # What it renders
//
// Each material kind (policies/data/materials.json) is drawn like the real document, at its
// real size in millimetres: title, field labels and values, a guilloche background tint,
// borders, red seals, and a portrait where the real one has one.
//
//   - id_card: front (姓名 性别 民族 出生 住址 公民身份号码, portrait) or back (emblem,
//     中华人民共和国 居民身份证, 签发机关, 有效期限; no name or number). Both are Kind id_card;
//     Sample.Variant says which.
//   - driving_licence_main: 中华人民共和国机动车驾驶证, 证号 (= ID number), 姓名, 性别, 国籍, 住址,
//     出生日期, 初次领证日期, 准驾车型, 有效期限, optional English labels, portrait, seal.
//   - driving_licence_secondary: …驾驶证副页, 证号, 姓名, 档案编号 (12 digits), 记录.
//   - qualification_info_page: 中华人民共和国道路运输从业人员从业资格证 (one or two title
//     lines), 姓名 … 证号 (= ID number), 从业资格类别, 初领日期, 有效期限, 发证机关, portrait
//     (right, sometimes left).
//   - qualification_violation_page: 违章记录 table (日期, 违章行为, 处理机关, 记分/处理结果), zero
//     to four entries.
//   - study_record: an A4 record (考核周期学习教育情况 or a variant title), 姓名, 身份证号,
//     从业资格证号, 考核周期, a course table with 学时, 累计学时, 培训机构 and its seal.
//   - vehicle_licence_front: 中华人民共和国机动车行驶证 (号牌号码, 车辆类型, 所有人, 住址, 使用性质,
//     品牌型号, 车辆识别代号, 发动机号码, 注册日期, 发证日期), alone or (Variant
//     "with_secondary") beside its 副页 front (档案编号, 核定载质量, 总质量, 外廓尺寸, 检验记录).
//   - vehicle_licence_back: 检验记录 boxes, some with 检验有效期至 YYYY年MM月 stamps.
//   - transport_cert: 中华人民共和国道路运输证, 证号 (12 digits), 业户名称, 地址, 车辆号牌,
//     经营许可证号 (豫交运管许可郑字…号), 车辆类型, 吨(座)位, 车辆尺寸, 经营范围, seal.
//   - photo_2inch: the face on a white, blue or red ground (the photo's white background
//     recoloured with a soft edge), 358x441 px or larger, ratio 0.714, mirrored or not,
//     colour and brightness jitter.
//   - vehicle_photo_45: a truck drawn at about 45° (cab, box, wheels) on a street, its plate
//     on a blue, yellow (or green, new-energy) plate.
//   - life_photo: an outdoor scene with one to three people (the face at 15-35 % of the
//     short side, soft-edged, with a body).
//   - other_photo: a landscape, a phone-screenshot-like layout without text, or objects on a
//     table; no face, no document.
//
// Layouts vary per sample: a shift of the printed fields against the card, text scale
// ±6 %, the font (per document, sometimes another one for the values), field order where
// real documents differ, optional English labels, a faint "仅供…使用" watermark on about one
// document in six.
//
// Truth.Fields holds what is printed, with the content facts' field names: id_number, name,
// plate, certificate_number (证号 / 从业资格证号 / 道路运输证号; on the driving licence and the
// qualification page the 证号 is the ID number, so both fields carry it), archive_number
// (驾驶证副页, 行驶证副页). Truth.Faces counts faces in the picture, portraits included.
//
// # Degradation (Options.Clean false)
//
// Documents are photographed: blurred (Gaussian, sigma 0-1.5 px, small values more often) as
// focus blur on the flat document, given a lamp's glare (a soft white oval, one in five), then
// laid on a desk (wood grain, woven cloth or a plain surface, with a pen or two) with a soft
// shadow, turned 2-8° either way, warped in mild perspective (70 %), lit unevenly (gradient
// from one side, vignette, warm or cold cast; 80 %), noised, and saved as JPEG quality 60-90
// with the long side 1000-2400 px (smaller sizes more often, as chat apps recompress). About
// 15 % of all samples are turned 90°, 180° or 270° as a whole. Photos get blur, light, noise
// and recompression, and a quarter of them are photographed on a desk like a print.
// Sample.Degrade lists what was applied ("blur1.2", "glare", "background", "rotate-3.5",
// "perspective", "light", "rot90", "jpeg72"); Sample.Name carries
// the whole-image turn so a reader's rotation can be checked by name.
//
// # Determinism
//
// Every random choice comes from math/rand/v2 PCG, one stream per sample seeded from
// Options.Seed and the sample's index; nothing depends on map order or the clock. The same
// Options (and the same fonts installed) give byte-identical samples.
//
// # Fonts
//
// The repository's Droid Sans Fallback (certs/render/fonts, found by walking up from the
// working directory to go.mod) is always used; the Debian CJK fonts WenQuanYi Zen Hei, WenQuanYi
// Micro Hei, AR PL UKai and AR PL UMing are added when installed. Their .ttc collections have
// tables that golang.org/x/image/font/sfnt refuses (not 4-byte aligned), so the first member
// is copied into an aligned standalone font before parsing. Where a font has no glyph (Droid
// Sans Fallback has no digits or Latin letters), Go Regular or Go Mono stands in. Fonts
// reports which fonts were found. With fewer fonts the set still generates, but different
// bytes: determinism holds per machine setup.
//
// # Face
//
// testdata/face.jpg is pigo's own test picture (github.com/esimov/pigo v1.4.6, MIT), one
// frontal face that pigo's face finder detects; see testdata/README.md.
package docgen
