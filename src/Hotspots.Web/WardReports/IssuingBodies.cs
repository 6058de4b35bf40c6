using System.Globalization;
using Hotspots.Accounts;
using Npgsql;

namespace Hotspots.WardReports;

/// <summary>The head and foot Decree 30/2020/NĐ-CP gives an administrative document, for one ward or the city.</summary>
public sealed record IssuingBody(string BodyLine1, string BodyLine2, string Symbol, string Place, string SignerFor, string SignerTitle,
    string? SignerName, IReadOnlyList<string> Recipients)
{
    /// <summary>"Hà Nội, ngày 07 tháng 12 năm 2026": day below 10 and months 1 and 2 with a leading zero, as the decree asks.</summary>
    public string PlaceAndDate(DateOnly day) => string.Create(CultureInfo.InvariantCulture,
        $"{Place}, ngày {day.Day:00} tháng {(day.Month < 3 ? day.Month.ToString("00", CultureInfo.InvariantCulture) : day.Month.ToString(CultureInfo.InvariantCulture))} năm {day.Year}");

    /// <summary>"Số:      /BC-UBND": the number is left for the office's register.</summary>
    public string NumberLine => $"Số:\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/{Symbol}";
}

/// <summary>
/// Issuing bodies by ward (or "all" for the city), set by admins at /api/admin/issuing-bodies/{ward}; a ward with none
/// set is printed as its People's Committee, signed on its behalf by the Chair, reporting to the city.
/// </summary>
public sealed class IssuingBodies(NpgsqlDataSource dataSource)
{
    public static IssuingBody Default(string? wardCode, string wardName) => wardCode is null
        ? new("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "BC-UBND", "Hà Nội", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", null,
            ["Thường trực Thành ủy (để báo cáo);", "Thường trực HĐND Thành phố (để báo cáo);", "Các sở, ban, ngành;", "UBND các phường, xã;", "Lưu: VT."])
        : new("ỦY BAN NHÂN DÂN", wardName.ToUpper(CultureInfo.GetCultureInfo("vi-VN")), "BC-UBND", "Hà Nội", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", null,
            ["UBND Thành phố Hà Nội (để báo cáo);", "Thường trực Đảng ủy, HĐND phường, xã;", "Lưu: VT."]);

    public async Task<IssuingBody> GetAsync(string? wardCode, string wardName, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT body_line1, body_line2, symbol, place, signer_for, signer_title, signer_name, recipients FROM issuing_bodies WHERE ward_code = @code
            """);
        cmd.Parameters.AddWithValue("code", wardCode ?? "all");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new IssuingBody(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<string[]>(7))
            : Default(wardCode, wardName);
    }

    public async Task SetAsync(string? wardCode, IssuingBody body, Caller by, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO issuing_bodies (ward_code, body_line1, body_line2, symbol, place, signer_for, signer_title, signer_name, recipients, updated_by)
            VALUES (@code, @l1, @l2, @symbol, @place, @for, @title, @name, @recipients, @by)
            ON CONFLICT (ward_code) DO UPDATE SET body_line1 = excluded.body_line1, body_line2 = excluded.body_line2, symbol = excluded.symbol,
                place = excluded.place, signer_for = excluded.signer_for, signer_title = excluded.signer_title, signer_name = excluded.signer_name,
                recipients = excluded.recipients, updated_by = excluded.updated_by, updated_at = now()
            """);
        cmd.Parameters.AddWithValue("code", wardCode ?? "all");
        cmd.Parameters.AddWithValue("l1", body.BodyLine1);
        cmd.Parameters.AddWithValue("l2", body.BodyLine2);
        cmd.Parameters.AddWithValue("symbol", body.Symbol);
        cmd.Parameters.AddWithValue("place", body.Place);
        cmd.Parameters.AddWithValue("for", body.SignerFor);
        cmd.Parameters.AddWithValue("title", body.SignerTitle);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("name", body.SignerName));
        cmd.Parameters.AddWithValue("recipients", body.Recipients.ToArray());
        cmd.Parameters.AddWithValue("by", by.Email);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
