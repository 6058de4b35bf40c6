using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Npgsql;

namespace Hotspots.Tests.Records;

[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class AuditAndEditingTests(PeopleApp app)
{
    [Fact]
    public async Task Every_change_is_recorded_with_who_what_old_new_and_note_and_shown_as_history()
    {
        var id = await app.NewHotspotAsync(PeopleApp.DongDa);
        using var lead = app.ClientAs("ward_lead");
        using (var r = await lead.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "verified", responsibleUnit = "UBND phường Đống Đa", deadline = "2026-12-31", severity = 4, note = "Đã xác minh tại hiện trường" })))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(4, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("changes").GetArrayLength());
        }
        using (var r = await lead.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { deadline = (string?)null })))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var history = JsonDocument.Parse(await lead.GetStringAsync($"/api/hotspots/{id}/history")).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(5, history.Count);
        Assert.All(history, h => Assert.Equal("ward-lead@hotspots.test", h.GetProperty("who").GetString()));
        var status = history.Single(h => h.GetProperty("field").GetString() == "status");
        Assert.Equal("reported", status.GetProperty("oldValue").GetString());
        Assert.Equal("verified", status.GetProperty("newValue").GetString());
        Assert.Equal("Đã xác minh tại hiện trường", status.GetProperty("note").GetString());
        var cleared = history[0];
        Assert.Equal("deadline", cleared.GetProperty("field").GetString());
        Assert.Equal("2026-12-31", cleared.GetProperty("oldValue").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("newValue").ValueKind);

        // A viewer reads what changed and when, not who (staff emails) nor the notes, which may name people (issue 15, item 7).
        using var viewer = app.ClientAs("viewer");
        var seen = JsonDocument.Parse(await viewer.GetStringAsync($"/api/hotspots/{id}/history")).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(5, seen.Count);
        Assert.All(seen, h => Assert.Equal("", h.GetProperty("who").GetString()));
        Assert.All(seen, h => Assert.Equal(JsonValueKind.Null, h.GetProperty("note").ValueKind));
        Assert.Equal("verified", seen.Single(h => h.GetProperty("field").GetString() == "status").GetProperty("newValue").GetString());

        // The record itself, and its status history, say the same.
        await using var cmd = app.DataSource.CreateCommand("""
            SELECT h.status, h.responsible_unit, h.deadline IS NULL, h.severity, h.verified_at IS NOT NULL,
                   (SELECT count(*) FROM hotspot_status_history s WHERE s.hotspot_id = h.id AND s.changed_by = 'ward-lead@hotspots.test' AND s.to_status = 'verified')
            FROM hotspots h WHERE h.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var row = await cmd.ExecuteReaderAsync();
        await row.ReadAsync();
        Assert.Equal(("verified", "UBND phường Đống Đa", true, (short)4, true, 1L),
            (row.GetString(0), row.GetString(1), row.GetBoolean(2), row.GetInt16(3), row.GetBoolean(4), row.GetInt64(5)));
    }

    [Fact]
    public async Task The_officer_authority_and_result_of_the_six_clear_are_edited_audited_cleared_and_kept_off_the_public_map()
    {
        var id = await app.NewHotspotAsync(PeopleApp.DongDa);
        using var lead = app.ClientAs("ward_lead");
        using (var r = await lead.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new
               { assignee = " Lê Thị Mai ", authority = "UBND phường Đống Đa", result = "Hết ngập khi mưa 50 mm" })))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(3, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("changes").GetArrayLength());
        }
        var record = JsonDocument.Parse(await lead.GetStringAsync($"/api/hotspots/{id}")).RootElement;
        Assert.Equal(("Lê Thị Mai", "UBND phường Đống Đa", "Hết ngập khi mưa 50 mm"),
            (record.GetProperty("assignee").GetString(), record.GetProperty("authority").GetString(), record.GetProperty("result").GetString()));

        using (var r = await lead.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { assignee = (string?)null })))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var history = JsonDocument.Parse(await lead.GetStringAsync($"/api/hotspots/{id}/history")).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["assignee", "assignee", "authority", "result"], history.Select(h => h.GetProperty("field").GetString()!).Order().ToArray());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("newValue").ValueKind);

        using (var tooLong = await lead.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { result = new string('x', 1001) })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        }
        // The public map reads its own table, which has no column for the officer.
        await using var cmd = app.DataSource.CreateCommand(
            "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'public_hotspots'");
        var publicColumns = (string)(await cmd.ExecuteScalarAsync())!;
        Assert.Contains("responsible_unit", publicColumns, StringComparison.Ordinal);
        Assert.DoesNotContain("assignee", publicColumns, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET new_value = 'forged'")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("TRUNCATE audit_log")]
    public async Task The_audit_trail_cannot_be_edited_or_deleted_even_by_the_database_owner(string sql)
    {
        using (var planner = app.ClientAs("planner"))
        {
            (await planner.PatchAsync($"/api/hotspots/{await app.NewHotspotAsync(PeopleApp.BaDinh)}", JsonContent.Create(new { severity = 1 }))).EnsureSuccessStatusCode();
        }
        await using var count = app.DataSource.CreateCommand("SELECT count(*) FROM audit_log");
        var before = (long)(await count.ExecuteScalarAsync())!;
        await using var cmd = app.DataSource.CreateCommand(sql);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_lifecycle_is_enforced_and_closing_needs_a_note()
    {
        var id = await app.NewHotspotAsync(PeopleApp.BaDinh);
        using var planner = app.ClientAs("planner");
        using (var skip = await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "in_progress" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, skip.StatusCode);
            Assert.Contains("reported", await skip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var silent = await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "rejected" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, silent.StatusCode);
        }
        using (var bad = await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { owner = "x" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        (await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "verified" }))).EnsureSuccessStatusCode();
        (await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "resolved", note = "Đã khơi thông cống" }))).EnsureSuccessStatusCode();
        var record = JsonDocument.Parse(await planner.GetStringAsync($"/api/hotspots/{id}")).RootElement;
        Assert.Equal("resolved", record.GetProperty("status").GetString());
        Assert.Equal(["in_progress"], record.GetProperty("nextStatuses").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_bulk_change_applies_to_all_or_to_none()
    {
        var own = new[] { await app.NewHotspotAsync(PeopleApp.DongDa), await app.NewHotspotAsync(PeopleApp.DongDa) };
        var other = await app.NewHotspotAsync(PeopleApp.BaDinh);
        using var lead = app.ClientAs("ward_lead");
        using (var mixed = await lead.PostAsJsonAsync("/api/hotspots/bulk", new { ids = own.Append(other).ToArray(), status = "verified" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
            Assert.Contains(other.ToString(System.Globalization.CultureInfo.InvariantCulture), await mixed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await using var cmd = app.DataSource.CreateCommand("SELECT count(*) FROM hotspots WHERE id = ANY(@ids) AND status = 'reported'");
        cmd.Parameters.AddWithValue("ids", own.Append(other).ToArray());
        Assert.Equal(3L, (long)(await cmd.ExecuteScalarAsync())!);
        using (var mine = await lead.PostAsJsonAsync("/api/hotspots/bulk", new { ids = own, status = "verified", note = "Kiểm tra đợt 1" }))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        }
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_report_becomes_a_hotspot_in_one_step_and_is_not_triaged_twice()
    {
        var report = await app.NewReportAsync(PeopleApp.DongDa);
        using var lead = app.ClientAs("ward_lead");
        using var made = await lead.PostAsJsonAsync($"/api/field-reports/{report}/convert", new { severity = 4 });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var id = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var record = JsonDocument.Parse(await lead.GetStringAsync($"/api/hotspots/{id}")).RootElement;
        Assert.Equal(PeopleApp.DongDa, record.GetProperty("wardCode").GetString());
        Assert.Equal(4, record.GetProperty("severity").GetInt32());
        // The citizen's words (here with their phone number) do not become the title, which is public for three layers.
        Assert.Equal("Điểm ùn tắc giao thông – Phường Đống Đa", record.GetProperty("title").GetString());
        using var again = await lead.PostAsJsonAsync($"/api/field-reports/{report}/reject", new { note = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task A_ward_lead_links_reports_only_to_records_of_their_own_wards()
    {
        // Hardening (issue 15, item 13): the link used to accept any hotspot of the city.
        var report = await app.NewReportAsync(PeopleApp.DongDa);
        var elsewhere = await app.NewHotspotAsync(PeopleApp.BaDinh);
        var own = await app.NewHotspotAsync(PeopleApp.DongDa);
        using var lead = app.ClientAs("ward_lead");
        using (var refused = await lead.PostAsJsonAsync($"/api/field-reports/{report}/link", new { hotspotId = elsewhere }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using var linked = await lead.PostAsJsonAsync($"/api/field-reports/{report}/link", new { hotspotId = own });
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
    }
}
