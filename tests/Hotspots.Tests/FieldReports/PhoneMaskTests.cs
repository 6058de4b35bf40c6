using Hotspots.FieldReports;

namespace Hotspots.Tests.FieldReports;

/// <summary>Hardening (issue 15, item 8): phone masking missed bracketed prefixes and landlines.</summary>
[Trait("Category", "Unit")]
public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("gọi tôi 0912345678 nhé")]
    [InlineData("gọi tôi 0912 345 678 nhé")]
    [InlineData("gọi tôi +84 912-345-678 nhé")]
    [InlineData("gọi tôi (+84) 912 345 678 nhé")]
    [InlineData("gọi tôi (024) 3825 1234 nhé")]
    [InlineData("gọi tôi 024.3825.1234 nhé")]
    [InlineData("gọi tôi 84912345678 nhé")]
    public void A_phone_number_in_any_common_shape_is_masked_and_the_rest_kept(string text)
    {
        var masked = FieldReportTriage.MaskPhones(text);
        Assert.Equal("gọi tôi ••• nhé", masked);
    }

    [Theory]
    [InlineData("Ngập sâu 40 cm ở số 12 ngõ 345 Láng Hạ từ 2025")]
    [InlineData("Mã 00235, 21.028283, 105.838667")]
    public void Addresses_depths_codes_and_coordinates_are_not_phone_numbers(string text) =>
        Assert.Equal(text, FieldReportTriage.MaskPhones(text));
}
