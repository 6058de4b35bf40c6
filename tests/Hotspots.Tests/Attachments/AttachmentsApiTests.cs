using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Hotspots.Tests.Attachments;

/// <summary>Photos and files through the API, with the roles of the people who send and look at them.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class AttachmentsApiTests(ImportsApp app)
{
    private const string Ward = "00004", OtherWard = "00008";
    private const double Lat = 21.0286, Lon = 105.8522;

    // A new record in the ward, placed at the ward's inner point; not sample data, so the public map shows it.
    private async Task<long> RecordAsync(string ward = Ward) => await app.ScalarAsync<long>("""
        INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
        SELECT 'urban_order', 'Lấn chiếm vỉa hè có ảnh', 3, 'verified', now(), ST_PointOnSurface(geom), 'test:attachments', gen_random_uuid()::text
        FROM current_wards WHERE code = @ward
        RETURNING id
        """, ("ward", ward));

    private async Task<HttpClient> AsAsync(string role, params string[] wards)
    {
        var client = app.CreateClient();
        TestUsers.Authorize(client, await TestUsers.CreateWithTokenAsync(app.Services, $"{role}-{Guid.NewGuid():N}@hotspots.test", role, wards));
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, string path, params (string Name, byte[] Bytes)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }
        using var response = await client.PostAsync(path, form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static byte[] Photo(int seed, bool withPlace = true) =>
        TestPhotos.Jpeg(120 + seed, 90, withPlace ? new TestPhotos.Exif(Lat, Lon) : null);

    [Fact]
    public async Task A_ward_lead_adds_two_photos_and_a_wrong_file_the_two_are_kept_and_the_third_is_named_with_its_reason()
    {
        var id = await RecordAsync();
        using var lead = await AsAsync(Roles.WardLead, Ward);

        var (status, body) = await SendAsync(lead, $"/api/hotspots/{id}/attachments",
            ("hien-truong-1.jpg", Photo(1)), ("hien-truong-2.jpg", Photo(2)), ("danh-sach.jpg", Encoding.UTF8.GetBytes("không phải ảnh")));

        Assert.Equal(HttpStatusCode.OK, status);
        var added = body.GetProperty("added").EnumerateArray().ToList();
        Assert.Equal(["hien-truong-1.jpg", "hien-truong-2.jpg"], added.Select(a => a.GetProperty("fileName").GetString()));
        Assert.All(added, a => Assert.Equal(Lat, a.GetProperty("takenLat").GetDouble(), 4)); // the place proposed to staff
        var refused = Assert.Single(body.GetProperty("refused").EnumerateArray());
        Assert.Equal("danh-sach.jpg", refused.GetProperty("file").GetString());
        Assert.Equal("type", refused.GetProperty("code").GetString());
        Assert.Contains("JPEG, PNG, WebP", refused.GetProperty("reason").GetString());

        var list = await lead.JsonAsync($"/api/hotspots/{id}/attachments");
        Assert.Equal(2, list.GetProperty("attachments").GetArrayLength());
        var history = await lead.JsonAsync($"/api/hotspots/{id}/history");
        Assert.Equal(2, history.GetProperty("history").EnumerateArray().Count(l => l.GetProperty("field").GetString() == "attachment"));
    }

    [Fact]
    public async Task Every_served_copy_has_no_location_or_device_in_it()
    {
        var id = await RecordAsync();
        using var lead = await AsAsync(Roles.WardLead, Ward);
        var (_, body) = await SendAsync(lead, $"/api/hotspots/{id}/attachments", ("anh.jpg", Photo(3)));
        var photo = body.GetProperty("added")[0];

        foreach (var url in new[] { photo.GetProperty("url").GetString()!, photo.GetProperty("thumbnailUrl").GetString()! })
        {
            using var response = await lead.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.DoesNotContain(ImageMetadataReader.ReadMetadata(new MemoryStream(bytes)), d => d is GpsDirectory or ExifIfd0Directory);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(TestPhotos.Make)) < 0);
        }
    }

    [Fact]
    public async Task A_viewer_and_the_public_never_receive_a_photo_until_a_planner_makes_it_public()
    {
        var id = await RecordAsync();
        using var lead = await AsAsync(Roles.WardLead, Ward);
        var (_, body) = await SendAsync(lead, $"/api/hotspots/{id}/attachments", ("anh.jpg", Photo(4)));
        var photo = body.GetProperty("added")[0].GetProperty("id").GetInt64();
        using var viewer = await AsAsync(Roles.Viewer);
        using var anyone = app.CreateClient();
        TestUsers.Authorize(anyone, null);

        Assert.Equal(0, (await viewer.JsonAsync($"/api/hotspots/{id}/attachments")).GetProperty("attachments").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/attachments/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/attachments/{photo}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/public/attachments/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync($"/api/attachments/{photo}")).StatusCode);
        // A ward lead may add photos but not show them to everyone.
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PatchAsJsonAsync($"/api/attachments/{photo}", new { @public = true })).StatusCode);

        using var planner = app.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await planner.PatchAsJsonAsync($"/api/attachments/{photo}", new { @public = true })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/attachments/{photo}")).StatusCode);
        // The public sees it once the public map shows the record (the snapshot follows the insert within moments).
        HttpStatusCode seen = 0;
        for (var i = 0; i < 100 && seen != HttpStatusCode.OK; i++, await Task.Delay(200))
        {
            seen = (await anyone.GetAsync($"/api/public/attachments/{photo}")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, seen);
        var shown = await anyone.JsonAsync($"/api/public/hotspots/{id}/attachments");
        var item = Assert.Single(shown.GetProperty("attachments").EnumerateArray());
        Assert.False(item.TryGetProperty("takenLat", out _)); // the camera's place is for staff only
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync(item.GetProperty("thumbnailUrl").GetString())).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await planner.PatchAsJsonAsync($"/api/attachments/{photo}", new { @public = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/public/attachments/{photo}")).StatusCode);
    }

    [Fact]
    public async Task A_ward_lead_may_not_add_or_remove_photos_in_another_ward()
    {
        var id = await RecordAsync(OtherWard);
        using var lead = await AsAsync(Roles.WardLead, Ward);
        using var planner = app.CreateClient();
        var (_, body) = await SendAsync(planner, $"/api/hotspots/{id}/attachments", ("anh.jpg", Photo(5)));
        var photo = body.GetProperty("added")[0].GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(lead, $"/api/hotspots/{id}/attachments", ("anh.jpg", Photo(6)))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.DeleteAsync($"/api/attachments/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/attachments/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(planner, "/api/hotspots/999999999/attachments", ("anh.jpg", Photo(7)))).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await planner.DeleteAsync($"/api/attachments/{photo}")).StatusCode);
        Assert.Equal(0, (await planner.JsonAsync($"/api/hotspots/{id}/attachments")).GetProperty("attachments").GetArrayLength());
        var history = await planner.JsonAsync($"/api/hotspots/{id}/history");
        Assert.Contains(history.GetProperty("history").EnumerateArray(), l => l.GetProperty("field").GetString() == "attachment"
            && l.GetProperty("oldValue").GetString() == "anh.jpg" && l.GetProperty("newValue").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_same_file_sent_twice_is_kept_once_and_a_record_holds_at_most_ten()
    {
        var id = await RecordAsync();
        using var planner = app.CreateClient();
        var again = Photo(8);
        var first = (await SendAsync(planner, $"/api/hotspots/{id}/attachments", ("a.jpg", again))).Body.GetProperty("added")[0].GetProperty("id").GetInt64();
        var second = (await SendAsync(planner, $"/api/hotspots/{id}/attachments", ("a-lan-2.jpg", again))).Body.GetProperty("added")[0].GetProperty("id").GetInt64();
        Assert.Equal(first, second);

        var more = Enumerable.Range(10, 10).Select(i => ($"anh-{i}.png", TestPhotos.Png(10 + i, 10))).ToArray();
        var (status, body) = await SendAsync(planner, $"/api/hotspots/{id}/attachments", more);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(9, body.GetProperty("added").GetArrayLength());
        Assert.Equal("too-many", Assert.Single(body.GetProperty("refused").EnumerateArray()).GetProperty("code").GetString());
        Assert.Equal(10, await app.ScalarAsync<long>("SELECT count(*) FROM attachments WHERE hotspot_id = @id", ("id", id)));
    }
}
