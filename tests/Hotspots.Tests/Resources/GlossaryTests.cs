using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Resources;

/// <summary>The UI's words follow docs/GLOSSARY.md: its terms for its keys, one spelling, one word for a record.</summary>
[Trait("Category", "Unit")]
public sealed partial class GlossaryTests
{
    private static Dictionary<string, string> Strings(string file) =>
        XDocument.Load(Path.Combine(TestDatabase.RepositoryRoot, "src", "Hotspots.Web", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [Fact]
    public void The_resources_use_the_glossary_s_terms_for_its_keys()
    {
        var vi = Strings("Strings.resx");
        var en = Strings("Strings.en.resx");
        var rows = File.ReadAllLines(Path.Combine(TestDatabase.RepositoryRoot, "docs", "GLOSSARY.md"))
            .SkipWhile(l => !l.StartsWith("| key |", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.True(rows.Count >= 10);
        foreach (var r in rows)
        {
            Assert.Equal(r[3], vi[r[1]]);
            Assert.Equal(r[2], en[r[1]]);
        }
    }

    [Fact]
    public void Vietnamese_text_puts_the_tone_on_the_main_vowel_and_calls_a_record_a_point()
    {
        var bad = Strings("Strings.resx")
            .Where(kv => OldTonePlacement().IsMatch(kv.Value) || kv.Value.Contains("hồ sơ", StringComparison.OrdinalIgnoreCase)
                || kv.Value.Contains("điểm nóng", StringComparison.OrdinalIgnoreCase))
            .Select(kv => $"{kv.Key}: {kv.Value}").ToList();
        Assert.True(bad.Count == 0, string.Join('\n', bad));
        Assert.Matches(OldTonePlacement(), "nhà văn hoá"); // the check can fail
        Assert.DoesNotMatch(OldTonePlacement(), "Toàn thành phố, quý IV, hóa đơn");
    }

    // oà/oá/…, oè/oé/…, uỳ/uý/… closing a syllable (not "toàn", not "quý").
    [GeneratedRegex(@"(?i)(o[àáảãạèéẻẽẹ]|(?<!q)u[ỳýỷỹỵ])(?![a-zà-ỹđ])")]
    private static partial Regex OldTonePlacement();
}
