using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hotspots.Calendar;

namespace Hotspots.Tests.Calendar;

[Trait("Category", "Unit")]
public sealed class DayTextTests
{
    [Theory]
    [InlineData("31/12/2026", 2026, 12, 31)]
    [InlineData("1/2/2025", 2025, 2, 1)]
    [InlineData(" 05-06-2024 ", 2024, 6, 5)]
    [InlineData("05.06.2024", 2024, 6, 5)]
    [InlineData("2024-06-05", 2024, 6, 5)] // what a picker and a URL send
    public void Reads_the_ways_people_write_a_day(string text, int y, int m, int d)
    {
        Assert.True(DayText.TryParse(text, out var day));
        Assert.Equal(new DateOnly(y, m, d), day);
    }

    [Theory]
    [InlineData("12/31/2026")] // month first is not a Vietnamese date
    [InlineData("31/02/2026")]
    [InlineData("hôm nay")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_what_is_not_a_day(string? text) => Assert.False(DayText.TryParse(text, out _));

    [Property]
    public Property Every_day_written_is_read_back_as_itself() =>
        Prop.ForAll(Gen.Choose(DateOnly.FromDateTime(new DateTime(1990, 1, 1)).DayNumber, DateOnly.FromDateTime(new DateTime(2100, 12, 31)).DayNumber).ToArbitrary(),
            n =>
            {
                var day = DateOnly.FromDayNumber(n);
                var text = DayText.Format(day);
                return DayText.TryParse(text, out var back) && back == day && text[2] == '/' && text[5] == '/';
            });
}
