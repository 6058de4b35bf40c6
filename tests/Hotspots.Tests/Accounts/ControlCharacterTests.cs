using System.Net;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Accounts;

/// <summary>Hardening (issue 15, item 4): NUL bytes reached PostgreSQL (a 500), anonymously through /api/auth/token among others.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class ControlCharacterTests(HotspotsApp app)
{
    [Theory]
    [InlineData("""{"email":"planner\u0000@hotspots.test","password":"x"}""")]
    [InlineData("""{"email":"a@b.c","password":"pass\u001bword"}""")]
    public async Task A_json_body_with_a_control_character_is_a_400_naming_the_body(string json)
    {
        using var anonymous = app.Server.CreateClient();
        using var response = await anonymous.PostAsync("/api/auth/token", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("body", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task A_query_value_with_nul_is_a_400_naming_it_and_line_breaks_in_notes_still_pass()
    {
        using var anonymous = app.Server.CreateClient();
        using var response = await anonymous.GetAsync("/api/public/features/flooding?ward=00004%00");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ward", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("parameter").GetString());
        // Tab and line breaks are text, not control characters to refuse.
        using var ok = await anonymous.PostAsync("/api/auth/token", new StringContent("""{"email":"nobody@hotspots.test","password":"line\nbreak\tand tab"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, ok.StatusCode);
    }
}
