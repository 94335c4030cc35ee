package docgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Person is whose document a sample shows. Every number is consistent with the others (the
// ID number carries the birth date and sex; the plate's letter matches the owner's city where
// the city is in Henan).
type Person struct {
	Name         string
	IDNumber     string // GB 11643, 18 characters, valid check digit
	Plate        string // as printed, without the middle dot: 豫A12345 or 豫AD12345
	Sex          string // 男 / 女, from the ID number
	Nation       string // 民族: 汉, 回, ...
	BirthY       int
	BirthM       int
	BirthD       int
	Address      string // 住址, beginning with the region of the ID number
	Region       string // the region's name, e.g. 河南省郑州市中原区
	Issuer       string // 签发机关 of the ID card, e.g. 郑州市公安局中原分局
	Archive      string // 档案编号 of the driving licence, 12 digits
	VArchive     string // 档案编号 of the vehicle licence, 12 digits
	Qual         string // 从业资格证号 (the new certificates use the ID number)
	Transport    string // 道路运输证号, 12 digits
	Permit       string // 经营许可证号, e.g. 豫交运管许可郑字410100123456号
	Company      string // 业户名称 / vehicle owner company
	VIN          string // 17 characters, check digit at position 9
	Engine       string // 发动机号码
	LicenceClass string // 准驾车型: A2, B2, ...
	FirstY       int    // 初次领证 year
	FirstM       int
	FirstD       int
}

type region struct {
	code, name, police, city, plateLetter string
}

// regions are real GB/T 2260 county-level codes; the Henan ones carry the plate letter of
// their city so a plate and an address agree.
var regions = []region{
	{"410102", "河南省郑州市中原区", "郑州市公安局中原分局", "郑", "A"},
	{"410103", "河南省郑州市二七区", "郑州市公安局二七分局", "郑", "A"},
	{"410104", "河南省郑州市管城回族区", "郑州市公安局管城分局", "郑", "A"},
	{"410105", "河南省郑州市金水区", "郑州市公安局金水分局", "郑", "A"},
	{"410108", "河南省郑州市惠济区", "郑州市公安局惠济分局", "郑", "A"},
	{"410202", "河南省开封市龙亭区", "开封市公安局龙亭分局", "汴", "B"},
	{"410302", "河南省洛阳市老城区", "洛阳市公安局老城分局", "洛", "C"},
	{"410305", "河南省洛阳市涧西区", "洛阳市公安局涧西分局", "洛", "C"},
	{"410402", "河南省平顶山市新华区", "平顶山市公安局新华分局", "平", "D"},
	{"410502", "河南省安阳市文峰区", "安阳市公安局文峰分局", "安", "E"},
	{"410702", "河南省新乡市红旗区", "新乡市公安局红旗分局", "新", "G"},
	{"410802", "河南省焦作市解放区", "焦作市公安局解放分局", "焦", "H"},
	{"411002", "河南省许昌市魏都区", "许昌市公安局魏都分局", "许", "K"},
	{"411102", "河南省漯河市源汇区", "漯河市公安局源汇分局", "漯", "L"},
	{"411302", "河南省南阳市宛城区", "南阳市公安局宛城分局", "宛", "R"},
	{"411502", "河南省信阳市浉河区", "信阳市公安局浉河分局", "信", "S"},
	{"411602", "河南省周口市川汇区", "周口市公安局川汇分局", "周", "P"},
	{"411702", "河南省驻马店市驿城区", "驻马店市公安局驿城分局", "驻", "Q"},
	{"110101", "北京市东城区", "北京市公安局东城分局", "", ""},
	{"110105", "北京市朝阳区", "北京市公安局朝阳分局", "", ""},
	{"320106", "江苏省南京市鼓楼区", "南京市公安局鼓楼分局", "", ""},
	{"320102", "江苏省南京市玄武区", "南京市公安局玄武分局", "", ""},
	{"370102", "山东省济南市历下区", "济南市公安局历下分局", "", ""},
	{"340102", "安徽省合肥市瑶海区", "合肥市公安局瑶海分局", "", ""},
	{"420102", "湖北省武汉市江岸区", "武汉市公安局江岸分局", "", ""},
	{"130102", "河北省石家庄市长安区", "石家庄市公安局长安分局", "", ""},
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")

var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉鹏志海飞波斌宇浩凯健俊帆帅旭宁龙林欢阳晨瑞博鑫峰亮成东新宏春金云忠喜德永生福庆光振发长水山胜利民保安全")

var streets = []string{"建设路", "人民路", "解放路", "中州大道", "花园路", "文化路", "黄河路", "嵩山路", "大学路", "农业路", "紫荆山路", "陇海路", "航海路", "桐柏路", "伏牛路", "工人路", "经三路", "纬五路"}

var companyWords = []string{"顺达", "通达", "宏远", "恒通", "中原", "鑫源", "安捷", "畅通", "永盛", "金桥", "路路通", "隆兴", "华运", "捷诚", "福瑞"}
var companyKinds = []string{"物流有限公司", "运输有限公司", "货运有限公司", "汽车运输有限公司", "供应链管理有限公司"}

// plate provinces other than Henan, for the minority of plates that are not 豫.
var otherProvinces = []string{"京", "苏", "鲁", "皖", "鄂", "冀", "晋", "陕"}

const plateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ" // no I, O

// NewPerson makes a consistent, random person from r.
func NewPerson(r *rand.Rand) Person {
	var p Person
	reg := regions[pick(r, len(regions))]
	if r.IntN(4) > 0 { // most applicants are from Henan
		reg = regions[pick(r, 18)]
	}
	p.BirthY = 1962 + r.IntN(42)
	p.BirthM = 1 + r.IntN(12)
	p.BirthD = 1 + r.IntN(daysIn(p.BirthY, p.BirthM))
	seq := r.IntN(1000)
	p.IDNumber = IDNumber(reg.code, p.BirthY, p.BirthM, p.BirthD, seq)
	if seq%2 == 1 {
		p.Sex = "男"
	} else {
		p.Sex = "女"
	}
	p.Nation = "汉"
	if r.IntN(12) == 0 {
		p.Nation = []string{"回", "满", "蒙古", "壮"}[r.IntN(4)]
	}
	p.Name = string(surnames[r.IntN(len(surnames))])
	n := 1 + r.IntN(2)
	for i := 0; i < n; i++ {
		p.Name += string(givenChars[r.IntN(len(givenChars))])
	}
	p.Region = reg.name
	p.Issuer = reg.police
	p.Address = fmt.Sprintf("%s%s%d号", reg.name, streets[r.IntN(len(streets))], 1+r.IntN(298))
	if r.IntN(2) == 0 {
		p.Address += fmt.Sprintf("%d号楼%d单元%d号", 1+r.IntN(30), 1+r.IntN(6), 101+r.IntN(25)*100+r.IntN(4))
	} else {
		p.Address += fmt.Sprintf("附%d号", 1+r.IntN(40))
	}
	p.Archive = digits(r, 12, reg.code[:4])
	p.VArchive = digits(r, 12, reg.code[:4])
	p.Qual = p.IDNumber
	p.Transport = digits(r, 12, reg.code[:4]+"00")
	city := reg.city
	if city == "" {
		city = "郑"
	}
	p.Permit = fmt.Sprintf("豫交运管许可%s字%s号", city, digits(r, 12, reg.code[:4]+"00"))
	p.Company = reg.name[strings.Index(reg.name, "省")+len("省"):]
	if i := strings.Index(p.Company, "市"); i >= 0 {
		p.Company = p.Company[:i]
	}
	p.Company += companyWords[r.IntN(len(companyWords))] + companyKinds[r.IntN(len(companyKinds))]
	p.Plate = NewPlate(r, reg.plateLetter)
	p.VIN = NewVIN(r)
	p.Engine = fmt.Sprintf("%s%s", []string{"WP10", "WP12", "YC6L", "D6114", "CA6DM", "ISD", "WD615"}[r.IntN(7)], digits(r, 6+r.IntN(3), ""))
	p.LicenceClass = []string{"A2", "B2", "A2D", "B2", "A1A2", "C1", "A2", "B1", "A2E"}[r.IntN(9)]
	p.FirstY = p.BirthY + 18 + r.IntN(max(1, 2024-p.BirthY-18))
	if p.FirstY > 2024 {
		p.FirstY = 2024
	}
	p.FirstM = 1 + r.IntN(12)
	p.FirstD = 1 + r.IntN(daysIn(p.FirstY, p.FirstM))
	return p
}

func pick(r *rand.Rand, n int) int { return r.IntN(n) }

func digits(r *rand.Rand, n int, prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for b.Len() < n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()[:n]
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if (y%4 == 0 && y%100 != 0) || y%400 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IDNumber builds a GB 11643 citizen identity number: region, birth date, sequence (odd for
// men), check character.
func IDNumber(region string, y, m, d, seq int) string {
	s := fmt.Sprintf("%s%04d%02d%02d%03d", region, y, m, d, seq%1000)
	return s + string(IDCheck(s))
}

// IDCheck is the GB 11643 check character of the first 17 digits of s (ISO 7064 MOD 11-2).
func IDCheck(s string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// ValidIDNumber says whether s is 18 characters with a real birth date and a correct check
// character.
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	y := atoi(s[6:10])
	m := atoi(s[10:12])
	d := atoi(s[12:14])
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return false
	}
	return IDCheck(s) == s[17]
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// NewPlate makes a plate as printed without the dot: province, city letter, then five
// characters (digits, at most two letters, no I/O), or six for new-energy plates (D/F first).
// letter is the city letter to use for Henan plates ("" picks one).
func NewPlate(r *rand.Rand, letter string) string {
	prov := "豫"
	if r.IntN(8) == 0 {
		prov = otherProvinces[r.IntN(len(otherProvinces))]
		letter = ""
	}
	if letter == "" || r.IntN(5) == 0 {
		letter = string(plateLetters[r.IntN(len(plateLetters))])
	}
	var b strings.Builder
	b.WriteString(prov)
	b.WriteString(letter)
	if r.IntN(6) == 0 { // new energy: D or F, then five digits
		b.WriteByte("DF"[r.IntN(2)])
		b.WriteString(digits(r, 5, ""))
		return b.String()
	}
	letters := 0
	for i := 0; i < 5; i++ {
		if letters < 2 && r.IntN(6) == 0 {
			b.WriteByte(plateLetters[r.IntN(len(plateLetters))])
			letters++
			continue
		}
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// ValidPlate says whether s is a well-formed plate: a province character, a letter (not I/O),
// then five or six digits or letters (not I/O).
func ValidPlate(s string) bool {
	rs := []rune(s)
	if len(rs) != 7 && len(rs) != 8 {
		return false
	}
	if !strings.ContainsRune("京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新", rs[0]) {
		return false
	}
	if !strings.ContainsRune(plateLetters, rs[1]) {
		return false
	}
	for _, c := range rs[2:] {
		if !(c >= '0' && c <= '9') && !strings.ContainsRune(plateLetters, c) {
			return false
		}
	}
	return true
}

const vinChars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789" // no I, O, Q

// NewVIN makes a 17-character VIN with a Chinese WMI (L...) and an ISO 3779 check digit.
func NewVIN(r *rand.Rand) string {
	wmi := []string{"LFW", "LZZ", "LFN", "LGA", "LRD", "LJ1", "LS5", "LZG"}[r.IntN(8)]
	b := []byte(wmi)
	for len(b) < 17 {
		b = append(b, vinChars[r.IntN(len(vinChars))])
	}
	b[9] = "GHJKLMNPR"[r.IntN(9)] // model year 2016-2024
	b[8] = vinCheck(b)
	return string(b)
}

func vinCheck(b []byte) byte {
	weights := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, c := range b {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			v = int(strings.IndexByte("ABCDEFGH", c)) + 1
			if v == 0 {
				v = [26]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9}[c-'A']
			}
		}
		sum += v * weights[i]
	}
	if sum%11 == 10 {
		return 'X'
	}
	return byte('0' + sum%11)
}
