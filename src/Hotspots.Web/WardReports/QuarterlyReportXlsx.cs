using Hotspots.Calendar;
using Hotspots.Records;
using System.Globalization;
using Hotspots.Layers;
using Hotspots.Outreach;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Hotspots.WardReports;

/// <summary>The quarterly report as a workbook, in Vietnamese: the report itself, projects, field reports, and for the city one line per ward.</summary>
public static class QuarterlyReportXlsx
{
    public static async Task WriteAsync(Stream output, QuarterlyReport report, IReadOnlyList<QuarterlyReport> wards, IssuingBody issuer, CancellationToken ct)
    {
        await using var book = await Spreadsheet.CreateNewAsync(output, cancellationToken: ct);
        var bold = book.AddStyle(new Style { Font = { Bold = true } });
        var title = book.AddStyle(new Style { Font = { Bold = true, Size = 14 } });
        var vi = CultureInfo.GetCultureInfo("vi-VN");
        string Day(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        Cell Num(double? v) => v is { } x ? new Cell(x) : new Cell("—");
        Cell[] Head(params string[] names) => names.Select(n => new Cell(n, bold)).ToArray();

        var main = new WorksheetOptions();
        main.Column(1).Width = 38;
        for (var c = 2; c <= 7; c++)
        {
            main.Column(c).Width = 16;
        }
        await book.StartWorksheetAsync("Báo cáo", main, ct);
        // The head Decree 30/2020/NĐ-CP gives a document: issuing body and number on the left, motto, slogan, place
        // and date on the right; then the title.
        var italic = book.AddStyle(new Style { Font = { Italic = true } });
        var day = HanoiTime.DateOf(report.GeneratedAt);
        await book.AddRowAsync([new Cell(issuer.BodyLine1), new Cell(""), new Cell(""), new Cell("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)], ct);
        await book.AddRowAsync([new Cell(issuer.BodyLine2, bold), new Cell(""), new Cell(""), new Cell("Độc lập - Tự do - Hạnh phúc", bold)], ct);
        await book.AddRowAsync([new Cell(issuer.NumberLine), new Cell(""), new Cell(""), new Cell(issuer.PlaceAndDate(day), italic)], ct);
        await book.AddRowAsync([], ct);
        await book.AddRowAsync([new Cell("BÁO CÁO", title)], ct);
        await book.AddRowAsync([new Cell($"Kết quả khắc phục 05 điểm nghẽn {report.Quarter.Label(false)}", bold)], ct);
        await book.AddRowAsync([], ct);
        await book.AddRowAsync([new Cell($"Báo cáo kết quả {report.Quarter.Label(false)} — {report.WardName}", title)], ct);
        await book.AddRowAsync([new Cell("Kỳ báo cáo"), new Cell($"từ {Day(report.Quarter.Start)} đến {Day(report.LastDay)}{(report.Partial ? " (quý đang diễn ra)" : "")}")], ct);
        await book.AddRowAsync([new Cell("Hạn gửi báo cáo"), new Cell(Day(report.Quarter.DueDate))], ct);
        await book.AddRowAsync([new Cell("Lập lúc"), new Cell(report.GeneratedAt.ToOffset(HanoiTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture))], ct);
        if (report.IncludesSample)
        {
            await book.AddRowAsync([new Cell("Lưu ý"), new Cell("Số liệu gồm cả dữ liệu mẫu (sinh tự động, không phải số liệu thật).")], ct);
        }
        await book.AddRowAsync([], ct);
        await book.AddRowAsync([new Cell("1. Kết quả theo điểm nghẽn", bold)], ct);
        await book.AddRowAsync(Head("Lĩnh vực", "Phát sinh trong kỳ", "Đã khắc phục trong kỳ", "Còn tồn cuối kỳ", "Quá hạn cuối kỳ", "Trong đó quá hạn gấp 3", "Số ngày xử lý (trung vị)"), ct);
        foreach (var b in report.Bottlenecks)
        {
            await book.AddRowAsync([new Cell(CategoryName(b.Category)), new Cell(b.Opened), new Cell(b.Resolved), new Cell(b.OpenAtEnd), new Cell(b.OverdueAtEnd),
                new Cell(b.ThreeTimesOverdueAtEnd), Num(b.MedianDaysToResolve)], ct);
        }
        var t = report.Totals;
        await book.AddRowAsync([new Cell("Tổng", bold), new Cell(t.Opened, bold), new Cell(t.Resolved, bold), new Cell(t.OpenAtEnd, bold), new Cell(t.OverdueAtEnd, bold),
            new Cell(t.ThreeTimesOverdueAtEnd, bold)], ct);
        await book.AddRowAsync([], ct);
        await book.AddRowAsync([new Cell("2. Phản ánh của người dân", bold)], ct);
        await book.AddRowAsync(Head("Lĩnh vực", "Tiếp nhận", "Đã xử lý", "Chưa xử lý"), ct);
        foreach (var f in report.FieldReports)
        {
            await book.AddRowAsync([new Cell(CategoryName(f.Category)), new Cell(f.Received), new Cell(f.Handled), new Cell(f.Unanswered)], ct);
        }
        await book.AddRowAsync([new Cell("Tổng", bold), new Cell(report.FieldReports.Sum(f => f.Received), bold),
            new Cell(report.FieldReports.Sum(f => f.Handled), bold), new Cell(report.FieldReports.Sum(f => f.Unanswered), bold)], ct);
        if (report.Outreach is { } o)
        {
            await book.AddRowAsync([], ct);
            await book.AddRowAsync([new Cell("3. Chỉ số ưu tiên tuyên truyền (trọng số của thành phố)", bold)], ct);
            await book.AddRowAsync([new Cell("Điểm cuối kỳ (0–100)"), new Cell(o.Score)], ct);
            await book.AddRowAsync([new Cell("Xếp hạng"), new Cell($"{o.Rank}/{o.WardCount}")], ct);
            await book.AddRowAsync([new Cell("Đầu kỳ"), o.PreviousRank is { } pr ? new Cell($"{pr}/{o.WardCount} ({o.PreviousScore?.ToString("0.##", vi)} điểm)") : new Cell("—")], ct);
            await book.AddRowAsync([new Cell("Thay đổi thứ hạng"), new Cell(Change(o.RankChange))], ct);
            foreach (var f in o.TopFactors)
            {
                var factor = OutreachFactor.Find(f.Id)!;
                await book.AddRowAsync([new Cell("Yếu tố chính: " + factor.NameVi), new Cell(f.Contribution)], ct);
            }
        }

        // The foot: recipients on the left, the signature on the right.
        await book.AddRowAsync([], ct);
        var to = new[] { "Nơi nhận:" }.Concat(issuer.Recipients.Select(r => "- " + r)).ToList();
        var sign = new[] { issuer.SignerFor, issuer.SignerTitle, "", "", issuer.SignerName ?? "" }.Where((v, i) => i > 0 || v.Length > 0).ToList();
        for (var i = 0; i < Math.Max(to.Count, sign.Count); i++)
        {
            await book.AddRowAsync([new Cell(i < to.Count ? to[i] : "", i == 0 ? italic : null), new Cell(""), new Cell(""),
                new Cell(i < sign.Count ? sign[i] : "", bold)], ct);
        }

        var projects = new WorksheetOptions();
        projects.Column(1).Width = 44;
        for (var c = 2; c <= 7; c++)
        {
            projects.Column(c).Width = 18;
        }
        await book.StartWorksheetAsync("Dự án", projects, ct);
        await book.AddRowAsync(Head("Dự án", "Tiến độ (%)", "GPMB (%)", "Hộ tái định cư", "Hoàn thành theo kế hoạch", "Mốc đạt trong kỳ", "Mốc tiếp theo"), ct);
        foreach (var p in report.Projects)
        {
            await book.AddRowAsync([new Cell(p.Name + (p.Approximate ? " (tuyến gần đúng)" : "")), Num(p.ProgressPct), Num(p.LandClearancePct),
                p.HouseholdsToResettle is { } hh ? new Cell(hh) : new Cell("—"), new Cell(p.PlannedEnd is { } pe ? Day(pe) : "—"),
                new Cell(string.Join("; ", p.MilestonesDone)),
                new Cell(p.NextMilestone is null ? "" : $"{p.NextMilestone}{(p.NextMilestoneDate is { } nd ? $" ({Day(nd)})" : "")}")], ct);
        }

        if (wards.Count > 0)
        {
            var byWard = new WorksheetOptions();
            byWard.Column(2).Width = 30;
            await book.StartWorksheetAsync("Theo phường, xã", byWard, ct);
            await book.AddRowAsync(Head([
                "Mã", "Phường, xã", "Phát sinh", "Đã khắc phục", "Còn tồn", "Quá hạn",
                .. OutreachFactor.Categories.Select(c => "Còn tồn: " + CategoryName(c)),
                "Phản ánh tiếp nhận", "Phản ánh đã xử lý", "Chỉ số ưu tiên", "Hạng", "Thay đổi hạng"]), ct);
            foreach (var w in wards)
            {
                var wt = w.Totals;
                await book.AddRowAsync([
                    new Cell(w.WardCode), new Cell(w.WardName), new Cell(wt.Opened), new Cell(wt.Resolved), new Cell(wt.OpenAtEnd), new Cell(wt.OverdueAtEnd),
                    .. w.Bottlenecks.Select(b => new Cell(b.OpenAtEnd)),
                    new Cell(w.FieldReports.Sum(f => f.Received)), new Cell(w.FieldReports.Sum(f => f.Handled)),
                    Num(w.Outreach?.Score), w.Outreach is { } wo ? new Cell(wo.Rank) : new Cell("—"), new Cell(Change(w.Outreach?.RankChange))], ct);
            }
        }
        await book.FinishAsync(ct);
    }

    public static string CategoryName(string category) => category == "other" ? "Khác"
        : LayerCatalog.OfCategory(category)?.NameVi ?? category;

    public static string Change(int? change) => change switch
    {
        null => "—",
        0 => "giữ nguyên",
        > 0 => $"tăng {change} bậc (cần ưu tiên hơn)",
        _ => $"giảm {-change} bậc",
    };
}
