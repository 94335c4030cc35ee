package docgen

import (
	"fmt"
	"image"
	"image/color"
)

func tint(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

// dates in the forms printed on cards
func ymdDot(y, m, d int) string  { return fmt.Sprintf("%04d.%02d.%02d", y, m, d) }
func ymdDash(y, m, d int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, d) }
func ymdZh(y, m, d int) string   { return fmt.Sprintf("%d年%d月%d日", y, m, d) }

func (g *gen) issue(p Person) (y, m, d int) {
	y = max(p.FirstY, 2012) + g.r.IntN(8)
	if y > 2025 {
		y = 2025
	}
	m = 1 + g.r.IntN(12)
	d = 1 + g.r.IntN(28)
	return
}

// cardBorder rounds nothing but frames the card: real cards show their edge as a thin line
// of a darker tint.
func (pg *page) cardBorder(c color.RGBA) {
	pg.frame(0, 0, pg.wmm, pg.hmm, 0.25, c)
}

func (g *gen) noiseText(pg *page) {
	// a printed serial number in a corner, as many cards and booklets carry
	if g.r.IntN(5) < 2 {
		serial := fmt.Sprintf("No.%s", digits(g.r, 8+g.r.IntN(3), ""))
		if g.r.IntN(2) == 0 {
			serial = fmt.Sprintf("%c%s", "ABCDEFGH"[g.r.IntN(8)], digits(g.r, 9, ""))
		}
		f := pg.face(1.8, false)
		w := f.width(serial, 0) / pg.s
		x := pg.wmm - w - 3
		if g.r.IntN(2) == 0 {
			x = 3
		}
		pg.textSp(x-pg.ox, pg.hmm-1.6-pg.oy, 1.8, 0, serial, tint(150, 60, 60), true)
	}
	if g.r.IntN(6) == 0 {
		pg.watermark([]string{"仅供办理道路运输业务使用", "仅限资格审核使用 他用无效", "复印无效"}[g.r.IntN(3)])
	}
}

func (g *gen) idFront(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(85.6, 54, px)
	pg.background(tint(236, 240, 236), tint(240, 230, 226), tint(196, 208, 214))
	lab := tint(60, 110, 160)
	ls, vs := 2.6, 3.1
	pg.text(5.5, 9.5, ls, "姓名", lab)
	pg.value(14, 9.5, vs+0.2, p.Name)
	pg.text(5.5, 16, ls, "性别", lab)
	pg.value(14, 16, vs, p.Sex)
	pg.text(26, 16, ls, "民族", lab)
	pg.value(34.5, 16, vs, p.Nation)
	pg.text(5.5, 22.5, ls, "出生", lab)
	x := pg.value(14, 22.5, vs, fmt.Sprint(p.BirthY))
	x = pg.text(x+0.6, 22.5, ls, "年", lab)
	x = pg.value(x+0.6, 22.5, vs, fmt.Sprint(p.BirthM))
	x = pg.text(x+0.6, 22.5, ls, "月", lab)
	x = pg.value(x+0.6, 22.5, vs, fmt.Sprint(p.BirthD))
	pg.text(x+0.6, 22.5, ls, "日", lab)
	pg.text(5.5, 29, ls, "住址", lab)
	pg.wrap(14, 29, 34, 4.3, vs, p.Address)
	pg.text(5.5, 47, ls, "公民身份号码", lab)
	pg.textSp(24, 47, vs+0.3, 0.25, p.IDNumber, ink, true)
	pg.portrait(54, 6, 79, 37)
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldName: p.Name, FieldIDNumber: p.IDNumber}, Faces: 1}
}

func (g *gen) idBack(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(85.6, 54, px)
	pg.background(tint(232, 238, 240), tint(238, 236, 224), tint(200, 210, 220))
	// national emblem stand-in: red disc, gold star
	cx, cy, r := pg.px(13+pg.ox), pg.px(13+pg.oy), pg.px(8)
	fillPath(pg.img, ellipse(cx, cy, r, r), tint(200, 30, 36))
	fillPath(pg.img, star(cx, cy-r*0.1, r*0.55), tint(250, 210, 60))
	ring(pg.img, cx, cy, r, r*0.12, tint(240, 200, 70))
	pg.textSp(28, 13, 5, 0.8, "中华人民共和国", ink, false)
	pg.textSp(26, 25, 6.5, 1.6, "居民身份证", ink, false)
	y, m, d := g.issue(p)
	until := ymdDot(y+20, m, d)
	if 2025-p.BirthY > 46 && g.r.IntN(2) == 0 {
		until = "长期"
	}
	pg.text(16, 41, 2.6, "签发机关", inkGrey)
	pg.value(29, 41, 3, p.Issuer)
	pg.text(16, 48, 2.6, "有效期限", inkGrey)
	pg.value(29, 48, 3, ymdDot(y, m, d)+"-"+until)
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{}, Faces: 0}
}

// labelled prints bilingual labels the way licences do: Chinese label, small English under
// or beside it, then the value.
type row struct{ zh, en, val string }

func (pg *page) rows(x, y, lh, vx float64, rs []row, withEN bool) {
	for _, r := range rs {
		pg.text(x, y, 2.4, r.zh, ink)
		if withEN && r.en != "" {
			pg.text(x, y+2.2, 1.5, r.en, inkGrey)
		}
		pg.value(vx, y+0.3, 2.9, r.val)
		y += lh
	}
}

func (g *gen) drivingMain(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(88, 60, px)
	pg.background(tint(240, 236, 242), tint(232, 238, 246), tint(210, 196, 220))
	pg.cardBorder(tint(150, 150, 170))
	pg.centre(44, 7.5, 4, 0.15, "中华人民共和国机动车驾驶证", ink)
	if g.r.IntN(2) == 0 {
		pg.centre(44, 10.5, 1.8, 0, "Driving License of the People's Republic of China", inkGrey)
	}
	en := g.r.IntN(3) > 0
	pg.text(5, 15.5, 2.4, "证号", ink)
	pg.textSp(13, 15.8, 3, 0.15, p.IDNumber, ink, true)
	iy, im, id := g.issue(p)
	years := []int{6, 10, 10}[g.r.IntN(3)]
	rs := []row{
		{"姓名", "Name", p.Name},
		{"性别", "Sex", p.Sex},
		{"国籍", "Nationality", "中国"},
		{"住址", "Address", p.Address},
	}
	pg.rows(5, 21, 5.2, 17, rs[:1], en)
	pg.text(36, 21, 2.4, "性别", ink)
	pg.value(42, 21.3, 2.9, p.Sex)
	pg.text(48, 21, 2.4, "国籍", ink)
	pg.value(54, 21.3, 2.9, "中国")
	pg.text(5, 26.5, 2.4, "住址", ink)
	pg.wrap(17, 26.8, 42, 4, 2.7, p.Address)
	rest := []row{
		{"出生日期", "Date of Birth", ymdDash(p.BirthY, p.BirthM, p.BirthD)},
		{"初次领证日期", "Issue Date", ymdDash(p.FirstY, p.FirstM, p.FirstD)},
		{"准驾车型", "Class", p.LicenceClass},
		{"有效期限", "Valid Period", ymdDash(iy, im, id) + " 至 " + ymdDash(iy+years, im, id)},
	}
	pg.rows(5, 37, 5.6, 22, rest, en)
	pg.portrait(63, 17, 83, 42)
	pg.stamp(12, 54, 5.5, cityOf(p.Region)+"公安局交通警察支队")
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldName: p.Name, FieldIDNumber: p.IDNumber, FieldCertificate: p.IDNumber}, Faces: 1}
}

func (g *gen) drivingSecondary(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(88, 60, px)
	pg.background(tint(240, 240, 234), tint(236, 232, 242), tint(214, 206, 196))
	pg.cardBorder(tint(150, 150, 150))
	pg.centre(44, 7.5, 3.8, 0.15, "中华人民共和国机动车驾驶证副页", ink)
	order := []row{{"证号", "", p.IDNumber}, {"姓名", "", p.Name}, {"档案编号", "", p.Archive}}
	if g.r.IntN(2) == 0 {
		order[1], order[2] = order[2], order[1]
	}
	y := 14.0
	for _, r := range order {
		pg.text(5, y, 2.6, r.zh, ink)
		pg.textSp(18, y+0.2, 3, 0.1, r.val, ink, true)
		y += 5.5
	}
	pg.text(5, y+1, 2.6, "记录", ink)
	pg.frame(4, y+2.5, 84, 56, 0.2, tint(120, 120, 120))
	notes := []string{
		fmt.Sprintf("实习期至%d年%02d月%02d日", p.FirstY+1, p.FirstM, p.FirstD),
		fmt.Sprintf("请于%d年%02d月%02d日前提交体检证明", 2026+g.r.IntN(3), 1+g.r.IntN(12), 1+g.r.IntN(28)),
		"增驾" + p.LicenceClass + "实习期满",
	}
	ny := y + 7
	for _, n := range notes[:1+g.r.IntN(3)] {
		pg.value(7, ny, 2.5, n)
		ny += 4.5
	}
	pg.stamp(70, 46, 6.5, cityOf(p.Region)+"公安局交通警察支队")
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldName: p.Name, FieldIDNumber: p.IDNumber, FieldCertificate: p.IDNumber, FieldArchive: p.Archive}}
}

var qualCats = []string{"道路货物运输驾驶员", "道路旅客运输驾驶员", "危险货物运输驾驶员", "经营性道路货物运输驾驶员"}

func (g *gen) qualInfo(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(100, 70, px)
	pg.background(tint(236, 244, 238), tint(244, 244, 232), tint(190, 214, 200))
	pg.cardBorder(tint(110, 150, 120))
	if g.r.IntN(2) == 0 {
		pg.centre(50, 7.5, 3.6, 0.1, "中华人民共和国道路运输从业人员从业资格证", ink)
	} else {
		pg.centre(50, 6.5, 3.2, 0.1, "中华人民共和国", ink)
		pg.centre(50, 11, 3.6, 0.1, "道路运输从业人员从业资格证", ink)
	}
	left := g.r.IntN(4) == 0 // some issuers put the portrait on the left
	x0, px0 := 5.0, 74.0
	if left {
		x0, px0 = 30.0, 5.0
	}
	iy, im, id := g.issue(p)
	rs := []row{
		{"姓名", "", p.Name},
		{"性别", "", p.Sex},
		{"出生日期", "", ymdZh(p.BirthY, p.BirthM, p.BirthD)},
		{"国籍", "", "中国"},
		{"住址", "", p.Address},
		{"证号", "", p.Qual},
		{"从业资格类别", "", qualCats[g.r.IntN(len(qualCats))]},
		{"初领日期", "", ymdZh(iy-g.r.IntN(5), im, id)},
		{"有效期限", "", ymdZh(iy, im, id) + "至" + ymdZh(iy+6, im, id)},
		{"发证机关", "", cityOf(p.Region) + "交通运输局"},
	}
	y := 17.0
	for _, r := range rs {
		pg.text(x0, y, 2.4, r.zh, ink)
		vx := x0 + 16
		if r.zh == "住址" {
			y = pg.wrap(vx, y, 48, 3.6, 2.6, r.val)
		} else {
			pg.value(vx, y, 2.7, r.val)
		}
		y += 4.8
	}
	pg.portrait(px0, 17, px0+21, 44)
	pg.stamp(px0+10, 56, 7, cityOf(p.Region)+"交通运输局")
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldName: p.Name, FieldIDNumber: p.Qual, FieldCertificate: p.Qual}, Faces: 1}
}

var violations = []struct{ act, result string }{
	{"超速行驶", "记3分"}, {"疲劳驾驶", "罚款200元"}, {"未按规定携带从业资格证", "警告"},
	{"货车超载", "罚款500元"}, {"未按规定线路行驶", "记2分"}, {"未按规定参加继续教育", "责令改正"},
	{"车辆未按规定检测", "罚款1000元"}, {"驾驶时拨打手机", "记2分"},
}

func (g *gen) qualViolation(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(100, 70, px)
	pg.background(tint(244, 244, 236), tint(238, 244, 240), tint(214, 218, 200))
	pg.cardBorder(tint(110, 130, 120))
	title := []string{"违章记录", "违章记录", "道路运输从业人员违章记录"}[g.r.IntN(3)]
	pg.centre(50, 8, 4, 0.4, title, ink)
	cols := []float64{5, 24, 53, 77, 95}
	heads := []string{"日期", "违章行为", "处理机关", "记分/处理结果"}
	if g.r.IntN(2) == 0 {
		heads[3] = "处理结果"
	}
	top, lh := 12.0, 6.5
	n := 8
	lc := tint(90, 100, 90)
	for i := 0; i <= n; i++ {
		pg.hline(cols[0], cols[4], top+float64(i)*lh, 0.2, lc)
	}
	for _, c := range cols {
		pg.vline(c, top, top+float64(n)*lh, 0.2, lc)
	}
	for i, h := range heads {
		pg.text(cols[i]+1.2, top+4.5, 2.4, h, ink)
	}
	filled := g.r.IntN(5)
	for i := 0; i < filled; i++ {
		v := violations[g.r.IntN(len(violations))]
		y := top + float64(i+1)*lh + 4.4
		pg.value(cols[0]+0.8, y, 2.3, ymdDot(2019+g.r.IntN(6), 1+g.r.IntN(12), 1+g.r.IntN(28)))
		pg.value(cols[1]+0.8, y, 2.3, v.act)
		pg.value(cols[2]+0.8, y, 2.3, []string{"郑州市运管处", "交通运输执法支队", "公路管理局", "运输管理局"}[g.r.IntN(4)])
		pg.value(cols[3]+0.8, y, 2.3, v.result)
	}
	pg.centre(50, 67, 2, 0, fmt.Sprintf("- %d -", 3+g.r.IntN(6)), inkGrey)
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{}}
}

var courses = []string{"道路运输安全法规", "职业道德与诚信经营", "安全驾驶技能", "应急处置与救援", "危险货物运输知识", "节能驾驶", "典型事故案例分析", "车辆维护与检查"}
var schools = []string{"郑州市交通运输从业人员培训中心", "河南交通职业技术学院", "郑州宏达驾驶员培训学校", "洛阳市道路运输继续教育基地", "南阳市安通驾驶员培训学校"}

func (g *gen) studyRecord(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(210, 297, px)
	// printed on white paper, sometimes off-white
	if g.r.IntN(2) == 0 {
		pg.rect(0, 0, 210, 297, tint(248, 246, 238), 1)
	}
	title := []string{"考核周期学习教育情况", "道路运输驾驶员继续教育学习记录", "继续教育学习教育情况记录"}[g.r.IntN(3)]
	pg.centre(105, 24, 8, 0.3, title, ink)
	sy := 2019 + g.r.IntN(5)
	sm := 1 + g.r.IntN(12)
	school := schools[g.r.IntN(len(schools))]
	info := []row{
		{"姓名", "", p.Name},
		{"身份证号", "", p.IDNumber},
		{"从业资格证号", "", p.Qual},
		{"从业资格类别", "", qualCats[g.r.IntN(len(qualCats))]},
		{"考核周期", "", fmt.Sprintf("%d年%02d月至%d年%02d月", sy, sm, sy+2, sm)},
	}
	if g.r.IntN(2) == 0 {
		info[1], info[2] = info[2], info[1]
	}
	y := 44.0
	for _, r := range info {
		pg.text(22, y, 5, r.zh+"：", ink)
		pg.value(62, y, 5.2, r.val)
		y += 10
	}
	cols := []float64{20, 36, 104, 124, 154, 190}
	heads := []string{"序号", "学习内容", "学时", "日期", "培训机构"}
	top, lh := y+2, 11.0
	rows := 5 + g.r.IntN(4)
	lc := tint(60, 60, 60)
	for i := 0; i <= rows+1; i++ {
		pg.hline(cols[0], cols[5], top+float64(i)*lh, 0.35, lc)
	}
	for _, c := range cols {
		pg.vline(c, top, top+float64(rows+1)*lh, 0.35, lc)
	}
	for i, h := range heads {
		pg.text(cols[i]+2, top+7.5, 4.4, h, ink)
	}
	hours := 0
	for i := 0; i < rows; i++ {
		h := []int{2, 4, 4, 6, 8}[g.r.IntN(5)]
		hours += h
		yy := top + float64(i+1)*lh + 7.5
		pg.value(cols[0]+4, yy, 4.2, fmt.Sprint(i+1))
		pg.value(cols[1]+2, yy, 4.2, courses[(i+g.r.IntN(3))%len(courses)])
		pg.value(cols[2]+5, yy, 4.2, fmt.Sprint(h))
		pg.value(cols[3]+1.5, yy, 3.8, ymdDot(sy+i/3, 1+g.r.IntN(12), 1+g.r.IntN(28)))
		pg.value(cols[4]+1.5, yy, 3.8, "已完成")
	}
	y = top + float64(rows+1)*lh + 12
	pg.text(22, y, 5, fmt.Sprintf("累计学时：%d 学时", hours), ink)
	pg.text(22, y+11, 5, "培训机构："+school, ink)
	pg.text(22, y+22, 5, "考核结果：合格", ink)
	pg.text(120, y+40, 4.6, ymdZh(sy+2, sm, 1+g.r.IntN(28)), ink)
	pg.stamp(150, y+30, 20, school)
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldName: p.Name, FieldIDNumber: p.IDNumber, FieldCertificate: p.Qual}}
}

var vehicleTypes = []string{"重型厢式货车", "重型半挂牵引车", "中型厢式货车", "重型仓栅式货车", "轻型厢式货车", "重型自卸货车"}
var models = []string{"解放牌CA1250P62K1L5T3E5", "东风牌DFH1180EX8", "重汽牌ZZ1187K511JF1", "欧曼牌BJ1186VKPFK", "陕汽牌SX1250MB9", "江淮牌HFC1181P3K2A50S"}

func (g *gen) vehicleFront(p Person, px float64, withSecondary bool) (*image.RGBA, Truth) {
	w := 88.0
	if withSecondary {
		w = 180
	}
	pg := g.newPage(w, 60, px)
	pg.background(tint(236, 240, 246), tint(242, 236, 240), tint(200, 206, 222))
	pg.frame(0, 0, 88, 60, 0.25, tint(150, 150, 170))
	pg.centre(44, 7.5, 4, 0.15, "中华人民共和国机动车行驶证", ink)
	owner := p.Company
	fields := map[string]string{FieldPlate: p.Plate}
	if g.r.IntN(3) == 0 {
		owner = p.Name
		fields[FieldName] = p.Name
	}
	ry, rm, rd := g.issue(p)
	iy := ry + g.r.IntN(2)
	pg.text(4, 14, 2.3, "号牌号码", ink)
	pg.textSp(15, 14.3, 3, 0.15, p.Plate, ink, true)
	pg.text(44, 14, 2.3, "车辆类型", ink)
	pg.value(55, 14.3, 2.8, vehicleTypes[g.r.IntN(len(vehicleTypes))])
	pg.text(4, 19.5, 2.3, "所有人", ink)
	pg.value(15, 19.8, 2.8, owner)
	pg.text(4, 25, 2.3, "住址", ink)
	pg.wrap(15, 25.3, 68, 3.6, 2.6, p.Address)
	pg.text(4, 31.5, 2.3, "使用性质", ink)
	pg.value(15, 31.8, 2.8, []string{"货运", "营运", "非营运"}[g.r.IntN(3)])
	pg.text(44, 31.5, 2.3, "品牌型号", ink)
	pg.value(55, 31.8, 2.5, models[g.r.IntN(len(models))])
	pg.text(4, 37, 2.3, "车辆识别代号", ink)
	pg.textSp(20, 37.3, 2.8, 0.1, p.VIN, ink, true)
	pg.text(4, 42.5, 2.3, "发动机号码", ink)
	pg.value(20, 42.8, 2.8, p.Engine)
	pg.text(4, 48, 2.3, "注册日期", ink)
	pg.value(15, 48.3, 2.8, ymdDash(ry, rm, rd))
	pg.text(44, 48, 2.3, "发证日期", ink)
	pg.value(55, 48.3, 2.8, ymdDash(iy, rm, rd))
	pg.stamp(14, 53, 5.5, cityOf(p.Region)+"公安局交通警察支队")
	if withSecondary {
		x := 92.0
		pg.frame(x, 0, 180, 60, 0.25, tint(150, 150, 170))
		pg.text(x+4, 8, 2.3, "号牌号码", ink)
		pg.value(x+15, 8.3, 2.8, p.Plate)
		pg.text(x+44, 8, 2.3, "档案编号", ink)
		pg.value(x+55, 8.3, 2.8, p.VArchive)
		tw := 8000 + g.r.IntN(10000)
		rows := []row{
			{"核定载人数", "", fmt.Sprintf("%d人", 2+g.r.IntN(2))},
			{"总质量", "", fmt.Sprintf("%dkg", tw+10000)},
			{"整备质量", "", fmt.Sprintf("%dkg", 8000+g.r.IntN(4000))},
			{"核定载质量", "", fmt.Sprintf("%dkg", tw)},
			{"外廓尺寸", "", fmt.Sprintf("%d×2550×%dmm", 9000+g.r.IntN(3000), 3500+g.r.IntN(500))},
		}
		y := 14.0
		for _, r := range rows {
			pg.text(x+4, y, 2.3, r.zh, ink)
			pg.value(x+20, y+0.3, 2.7, r.val)
			y += 5.2
		}
		pg.text(x+4, y+1, 2.3, "检验记录", ink)
		cy, cm := ry+2, rm
		pg.value(x+6, y+6, 2.6, fmt.Sprintf("检验有效期至%d年%02d月", cy, cm))
		fields[FieldArchive] = p.VArchive
	}
	g.noiseText(pg)
	return pg.img, Truth{Fields: fields}
}

func (g *gen) vehicleBack(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(88, 60, px)
	pg.background(tint(238, 240, 244), tint(240, 238, 236), tint(206, 208, 218))
	pg.cardBorder(tint(150, 150, 170))
	pg.centre(44, 7, 3.4, 0.6, "检验记录", ink)
	// a grid of inspection boxes; some carry a stamp
	ry, rm, _ := g.issue(p)
	n := 0
	for j := 0; j < 2; j++ {
		for i := 0; i < 3; i++ {
			x0, y0 := 3+float64(i)*28, 11+float64(j)*24
			pg.frame(x0, y0, x0+26, y0+22, 0.2, tint(140, 140, 150))
			if n < 1+g.r.IntN(6) {
				c := stampRed
				if g.r.IntN(3) == 0 {
					c = tint(40, 70, 170)
				}
				pg.frame(x0+1.5, y0+3, x0+24.5, y0+17, 0.35, c)
				pg.textSp(x0+2.7, y0+8, 2.2, 0, "检验有效期至", c, false)
				pg.textSp(x0+3, y0+13.5, 2.6, 0, fmt.Sprintf("%d年%02d月", ry+2+n, rm), c, true)
				n++
			}
		}
	}
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{}}
}

func (g *gen) transportCert(p Person, px float64) (*image.RGBA, Truth) {
	pg := g.newPage(120, 85, px)
	pg.background(tint(244, 242, 228), tint(234, 242, 236), tint(214, 214, 190))
	pg.cardBorder(tint(140, 130, 100))
	pg.frame(2, 2, 118, 83, 0.35, tint(160, 140, 110))
	pg.centre(60, 10, 5, 0.3, "中华人民共和国道路运输证", ink)
	pg.text(70, 16, 2.5, "证号", ink)
	pg.textSp(78, 16.3, 3, 0.1, p.Transport, ink, true)
	tons := 8 + g.r.IntN(25)
	rs := []row{
		{"业户名称", "", p.Company},
		{"地址", "", p.Address},
		{"车辆号牌", "", p.Plate},
		{"经营许可证号", "", p.Permit},
		{"车辆类型", "", vehicleTypes[g.r.IntN(len(vehicleTypes))]},
		{"吨(座)位", "", fmt.Sprintf("%d吨", tons)},
		{"车辆尺寸(mm)", "", fmt.Sprintf("%d×2550×%d", 9000+g.r.IntN(3000), 3500+g.r.IntN(500))},
		{"经营范围", "", []string{"普通货运", "普通货运、货物专用运输(集装箱)", "道路普通货物运输", "危险货物运输(3类)"}[g.r.IntN(4)]},
	}
	if g.r.IntN(2) == 0 { // some printers put the plate first
		rs[0], rs[2] = rs[2], rs[0]
	}
	y := 24.0
	for _, r := range rs {
		pg.text(8, y, 2.8, r.zh, ink)
		if r.zh == "地址" {
			y = pg.wrap(32, y, 80, 4, 3, r.val)
		} else {
			pg.value(32, y, 3.1, r.val)
		}
		y += 6.2
	}
	iy, im, id := g.issue(p)
	pg.text(8, 78, 2.6, "发证日期", ink)
	pg.value(24, 78, 2.8, ymdZh(iy, im, id))
	pg.stamp(95, 70, 9, cityOf(p.Region)+"道路运输管理局")
	if g.r.IntN(2) == 0 { // the annual review line some certificates carry on the same page
		pg.text(60, 82, 2.4, "审验记录", ink)
		pg.value(72, 82, 2.4, fmt.Sprintf("审验有效期至%d年%02d月", iy+1+g.r.IntN(2), im))
	}
	g.noiseText(pg)
	return pg.img, Truth{Fields: map[string]string{FieldPlate: p.Plate, FieldCertificate: p.Transport}}
}

// cityOf is the city of a region name: 河南省郑州市中原区 -> 郑州市, 北京市东城区 -> 北京市.
func cityOf(region string) string {
	rs := []rune(region)
	start := 0
	for i, r := range rs {
		if r == '省' {
			start = i + 1
		}
		if r == '市' {
			return string(rs[start : i+1])
		}
	}
	return region
}
