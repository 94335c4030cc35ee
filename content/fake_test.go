package content

import (
	"context"
	"errors"
	"image"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadcheck/roadcheck/content/ocr"
)

// fakeEngine returns canned lines keyed by the image size it is given (so a turned image gets
// other lines than the upright one), optionally slowly, failing or panicking.
type fakeEngine struct {
	bySize  map[image.Point][]ocr.Line
	delay   time.Duration
	err     error
	panics  bool
	ignores bool // ignore ctx (a slow engine that does not stop early)

	mu      sync.Mutex
	sizes   []image.Point
	running atomic.Int32
	peak    atomic.Int32
}

func (f *fakeEngine) Version() string { return "fake 1" }

func (f *fakeEngine) Read(ctx context.Context, img image.Image) ([]ocr.Line, error) {
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	sz := img.Bounds().Size()
	f.mu.Lock()
	f.sizes = append(f.sizes, sz)
	f.mu.Unlock()
	if f.panics {
		panic("fake engine panic")
	}
	if f.delay > 0 {
		if f.ignores {
			time.Sleep(f.delay)
		} else {
			select {
			case <-time.After(f.delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	return f.bySize[sz], nil
}

func (f *fakeEngine) calls() []image.Point {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]image.Point(nil), f.sizes...)
}

var errEngine = errors.New("engine broke")

// mkLines turns "text" or "text@score" strings into lines stacked top to bottom, each box 30 px
// high and as wide as its text.
func mkLines(texts ...string) []ocr.Line {
	var out []ocr.Line
	for i, t := range texts {
		score := 0.97
		if k := strings.LastIndex(t, "@"); k > 0 {
			var s float64
			for _, c := range t[k+1:] {
				if c >= '0' && c <= '9' {
					s = s*10 + float64(c-'0')
				}
			}
			score = s / 100
			t = t[:k]
		}
		y := 20 + 40*i
		w := 20 * len([]rune(t))
		out = append(out, ocr.Line{Text: t, Score: score, Box: [4]image.Point{{20, y}, {20 + w, y}, {20 + w, y + 30}, {20, y + 30}}})
	}
	return out
}

// plainImage is a w×h light-grey image (no face).
func plainImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 230, 230, 230, 255
	}
	return img
}

// docs holds clean canned OCR readings of each document kind.
var docs = map[string][]string{
	"id_card":      {"姓名张伟", "性别男民族汉", "出生1980年1月1日", "住址河南省郑州市金水区", "公民身份号码41010219800101123X"},
	"id_card_back": {"中华人民共和国", "居民身份证", "签发机关郑州市公安局金水分局", "有效期限2015.01.01-2035.01.01"},
	"driving_licence_main": {"中华人民共和国机动车驾驶证", "证号41010219800101123X", "姓名张伟", "性别男国籍中国",
		"住址河南省郑州市", "出生日期1980-01-01", "初次领证日期2005-03-02", "准驾车型A2", "有效期限2015-03-02至2025-03-02"},
	"driving_licence_secondary": {"中华人民共和国机动车驾驶证副页", "证号41010219800101123X", "姓名张伟",
		"档案编号410100123456", "记录"},
	"qualification_info_page": {"中华人民共和国道路运输从业人员从业资格证", "姓名张伟", "性别男", "出生日期1980-01-01",
		"国籍中国", "住址河南省郑州市", "证号41010219800101123X", "从业资格类别道路货物运输驾驶员", "初领日期2010-01-01",
		"有效期限2016-01-01至2026-01-01", "发证机关郑州市交通运输局"},
	"qualification_violation_page": {"违章记录", "日期", "违章行为", "处理机关", "记分", "处理结果"},
	"study_record": {"考核周期学习教育情况", "姓名张伟", "从业资格证号41010219800101123X", "继续教育记录", "学时24",
		"考核周期2024-01-01至2024-12-31", "培训机构郑州市某驾驶员培训学校"},
	"vehicle_licence_front": {"中华人民共和国机动车行驶证", "号牌号码豫A12345", "车辆类型重型厢式货车", "所有人郑州某物流有限公司",
		"住址河南省郑州市", "使用性质货运", "品牌型号解放牌CA1250", "车辆识别代号LFWSRXRJ5A1E00001", "发动机号码123456789",
		"注册日期2018-05-01", "发证日期2018-05-01", "档案编号410100654321", "核定载质量10000kg", "外廓尺寸9000x2500x3500mm"},
	"vehicle_licence_back": {"检验记录", "检验有效期至2024年05月", "检验有效期至2025年05月", "郑州市车辆检测站"},
	"transport_cert": {"中华人民共和国道路运输证", "业户名称郑州某物流有限公司", "地址河南省郑州市", "车辆号牌豫A12345",
		"经营许可证号410100001234", "道路运输证号豫交运管许可郑字410100123456号", "车辆类型重型厢式货车", "吨(座)位10吨",
		"经营范围普通货运", "审验记录"},
}
