using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Map;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class HeatApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();
    private const string City = "bbox=105.2,20.5,106.1,21.5";

    [Theory]
    [InlineData("urban-order", 10, "")]
    [InlineData("congestion", 14, "&status=open")]
    [InlineData("flooding", 16, "&sample=false")]
    public async Task Heat_weights_add_up_to_the_records_under_the_same_filters(string layer, int z, string filter)
    {
        var heat = await _client.JsonAsync($"/api/heat/{layer}?z={z}&{City}{filter}");
        var points = heat.EnumerateArray().ToList();
        Assert.NotEmpty(points);
        Assert.All(points, p =>
        {
            Assert.InRange(p[0].GetDouble(), 20.5, 21.5);
            Assert.InRange(p[1].GetDouble(), 105.2, 106.1);
        });
        var features = await _client.JsonAsync($"/api/features/{layer}?limit=20000{filter}");
        Assert.Equal(features.GetProperty("numberReturned").GetInt32(), points.Sum(p => p[2].GetInt64()));
    }

    [Theory]
    [InlineData("/api/heat/urban-order?bbox=105,21,106,22", "z")]
    [InlineData("/api/heat/urban-order?z=12", "bbox")]
    [InlineData("/api/heat/projects?z=12&bbox=105,21,106,22", "layer")]
    [InlineData("/api/heat/urban-order?z=12&bbox=105,21,106,22&severity=5", "bbox")]
    public async Task Bad_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
