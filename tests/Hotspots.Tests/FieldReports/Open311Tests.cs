using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hotspots.Tests.FieldReports;

/// <summary>
/// Issue 21, part 1: reports in through Open311 GeoReport v2 — the specification's shapes in JSON and XML, an API
/// key per client system (made and revoked by admins), the sender's id kept once, a rate limit per client, and no
/// personal data or citizen's words in what anyone reads back.
/// </summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class Open311Tests(PeopleApp app)
{
    private const string Canary = "Nguyễn Văn Canary", CanaryPhone = "0912345678", CitizenWords = "Nước ngập trước nhà số 12 của bà Canary";
    private const double Lat = 21.0285, Lon = 105.8542; // Hoàn Kiếm

    private async Task<string> KeyAsync(string name = "iHanoi")
    {
        using var admin = app.ClientAs("admin");
        using var made = await admin.PostAsJsonAsync("/api/admin/open311/clients", new { name });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        return JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("apiKey").GetString()!;
    }

    private static FormUrlEncodedContent Report(string? key, string external, string code = "flood_point", double lat = Lat, double lon = Lon) => new(new Dictionary<string, string>
    {
        ["api_key"] = key ?? "", ["service_code"] = code, ["lat"] = lat.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["long"] = lon.ToString(System.Globalization.CultureInfo.InvariantCulture), ["description"] = CitizenWords,
        ["first_name"] = Canary, ["phone"] = CanaryPhone, ["external_id"] = external,
    });

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, FormUrlEncodedContent form, string format = "json")
    {
        using var answer = await client.PostAsync($"/open311/v2/requests.{format}", form);
        var text = await answer.Content.ReadAsStringAsync();
        return (answer.StatusCode, format == "json" ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task Services_list_the_five_layers_and_their_kinds_in_json_and_xml()
    {
        using var client = app.CreateClient();
        var services = JsonDocument.Parse(await client.GetStringAsync("/open311/v2/services.json")).RootElement.EnumerateArray().ToList();
        Assert.Contains(services, s => s.GetProperty("service_code").GetString() == "flood_point" && s.GetProperty("service_name").GetString() == "Điểm ngập úng");
        Assert.All(services, s =>
        {
            foreach (var field in new[] { "service_code", "service_name", "description", "metadata", "type", "keywords", "group" })
            {
                Assert.True(s.TryGetProperty(field, out _), field);
            }
        });
        var xml = XDocument.Parse(await client.GetStringAsync("/open311/v2/services.xml"));
        Assert.Equal("services", xml.Root!.Name.LocalName);
        Assert.Equal(services.Count, xml.Root.Elements("service").Count());
    }

    [Fact]
    public async Task A_client_system_with_a_key_sends_a_report_that_reaches_triage_once_and_reads_back_without_anyone_in_it()
    {
        var key = await KeyAsync();
        using var client = app.CreateClient();
        var external = $"ihanoi-{Guid.NewGuid():N}";
        var (status, body) = await PostAsync(client, Report(key, external));
        Assert.Equal(HttpStatusCode.OK, status);
        var id = body[0].GetProperty("service_request_id").GetString();
        // Sent again (a retry): the same report, not a second one.
        var (again, second) = await PostAsync(client, Report(key, external));
        Assert.Equal((HttpStatusCode.OK, id), (again, second[0].GetProperty("service_request_id").GetString()));

        // Staff see it at once in triage, with its channel and the citizen's words.
        using var planner = app.ClientAs("planner");
        var reports = JsonDocument.Parse(await planner.GetStringAsync("/api/field-reports?status=new&limit=5000")).RootElement.GetProperty("reports")
            .EnumerateArray().Where(r => r.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) == id).ToList();
        var report = Assert.Single(reports);
        Assert.Equal("open311", report.GetProperty("channel").GetString());

        // Anyone reads it back: the kind and ward, its status, the centre of its 250 m cell — no name, phone or words.
        foreach (var format in new[] { "json", "xml" })
        {
            var one = await client.GetStringAsync($"/open311/v2/requests/{id}.{format}");
            var list = await client.GetStringAsync($"/open311/v2/requests.{format}?service_code=flood_point&status=open");
            foreach (var text in new[] { one, list })
            {
                Assert.DoesNotContain("Canary", text, StringComparison.Ordinal);
                Assert.DoesNotContain(CanaryPhone, text, StringComparison.Ordinal);
                Assert.DoesNotContain("số 12", text, StringComparison.Ordinal);
            }
            Assert.Contains(id!, list, StringComparison.Ordinal);
        }
        var read = JsonDocument.Parse(await client.GetStringAsync($"/open311/v2/requests/{id}.json")).RootElement[0];
        Assert.Equal("open", read.GetProperty("status").GetString());
        Assert.StartsWith("Điểm ngập úng – ", read.GetProperty("description").GetString(), StringComparison.Ordinal);
        var (lat, lon) = (read.GetProperty("lat").GetDouble(), read.GetProperty("long").GetDouble());
        Assert.True(lat != Lat || lon != Lon, "the exact place was given out");
        Assert.InRange(Math.Abs(lat - Lat), 0, 0.003);
        Assert.InRange(Math.Abs(lon - Lon), 0, 0.003);
        var xml = XDocument.Parse(await client.GetStringAsync($"/open311/v2/requests/{id}.xml"));
        Assert.Equal(id, xml.Root!.Element("request")!.Element("service_request_id")!.Value);
    }

    [Fact]
    public async Task Without_a_live_key_or_outside_Hanoi_or_with_an_unknown_kind_a_report_is_refused_in_the_specs_error_shape()
    {
        using var client = app.CreateClient();
        var (none, errors) = await PostAsync(client, Report(null, "x1"));
        Assert.Equal(HttpStatusCode.Forbidden, none);
        Assert.Equal(403, errors[0].GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, Report("o311_made-up", "x2"))).Status);

        var key = await KeyAsync("đường dây nóng");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, Report(key, "x3", lat: 10.77, lon: 106.70))).Status); // Hồ Chí Minh City
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, Report(key, "x4", code: "volcano"))).Status);
        using var xmlAnswer = await client.PostAsync("/open311/v2/requests.xml", Report(null, "x5"));
        Assert.Equal("errors", XDocument.Parse(await xmlAnswer.Content.ReadAsStringAsync()).Root!.Name.LocalName);

        // Revoked by an admin: refused from then on. Only an admin manages keys.
        using var admin = app.ClientAs("admin");
        var clients = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/open311/clients")).RootElement.GetProperty("clients").EnumerateArray();
        var id = clients.Last(c => c.GetProperty("name").GetString() == "đường dây nóng").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/open311/clients/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, Report(key, "x6"))).Status);
        using var planner = app.ClientAs("planner");
        Assert.Equal(HttpStatusCode.Forbidden, (await planner.PostAsJsonAsync("/api/admin/open311/clients", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Each_client_system_has_its_own_rate_limit()
    {
        await using var node = app.WithWebHostBuilder(b => b.UseSetting("LOAD_ON_START", "false").UseSetting("OPEN311_RATE_BURST", "3").UseSetting("OPEN311_RATE_PER_SECOND", "1"));
        var (busy, quiet) = (await KeyAsync("bận"), await KeyAsync("yên"));
        using var client = node.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await PostAsync(client, Report(busy, $"busy-{Guid.NewGuid():N}"))).Status);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Report(quiet, $"quiet-{Guid.NewGuid():N}"))).Status);
    }
}
