using System.IO.Compression;
using System.Text;
using Hotspots.Tests.Imports;

namespace Hotspots.Tests.Hardening;

/// <summary>One file of the corpus: its name as uploaded, its bytes, the layer it is sent to.</summary>
public sealed record BadFile(string Case, string FileName, byte[] Bytes, string Layer = "flooding")
{
    public override string ToString() => $"{Case} ({FileName}, {Bytes.Length:N0} bytes, {Layer})";
}

/// <summary>
/// The bad-file corpus (issue 15): damaged, hostile and merely odd CSV, GeoJSON and Excel files, each built here
/// from a named recipe (seeded, so every run sends the same bytes). Each must be answered below 500, and a run it
/// starts must end — succeeded with its rejects, or failed with its reason — with its stored file removed.
/// </summary>
public static class BadFiles
{
    private static readonly UTF8Encoding Utf8 = new(false);

    private static byte[] Text(string s) => Utf8.GetBytes(s);

    private const string Header = "id,title,lat,lon,severity,deadline\n";

    private static string Good(int i) => $"B{i},Ngập phố Huế {i},21.015,105.851,3,2026-12-31\n";

    private static readonly string GoodCsv = Header + string.Concat(Enumerable.Range(0, 20).Select(Good));

    private static readonly string GoodGeoJson = """{"type":"FeatureCollection","features":[""" + string.Join(",", Enumerable.Range(0, 10).Select(i =>
        $$$"""{"type":"Feature","id":"G{{{i}}}","geometry":{"type":"Point","coordinates":[105.85{{{i}}},21.02{{{i}}}]},"properties":{"id":"G{{{i}}}","title":"Ngập {{{i}}}","severity":3}}""")) + "]}";

    private static readonly byte[] GoodXlsx = TinyXlsx.Build(("Sheet1",
        [["id", "title", "lat", "lon"], .. Enumerable.Range(0, 10).Select(i => new object?[] { $"X{i}", $"Ngập {i}", 21.015, 105.851 })]));

    private static IEnumerable<BadFile> Csv()
    {
        var random = new Random(15);
        byte[] Random(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        yield return new("empty", "empty.csv", []);
        yield return new("only a BOM", "bom.csv", [0xEF, 0xBB, 0xBF]);
        yield return new("only the header", "header.csv", Text(Header));
        yield return new("a lone comma", "comma.csv", Text(",\n,\n"));
        yield return new("blank lines", "blank.csv", Text("\n\n\n\n"));
        yield return new("NUL in the header", "nul-header.csv", Text("id,ti\0tle,lat,lon\nA,b,21.0,105.8\n"));
        yield return new("NUL in a cell", "nul-cell.csv", Text(Header + "N1,Bad\0title,21.02,105.85,3,\n" + Good(1)));
        yield return new("NUL bytes only", "nuls.csv", new byte[4096]);
        yield return new("invalid UTF-8", "bad-utf8.csv", [.. Text(Header), 0xC3, 0x28, 0xA0, 0xA1, (byte)',', 0xF0, 0x28, 0x8C, 0xBC, (byte)'\n']);
        yield return new("UTF-16 without a BOM", "utf16.csv", Encoding.Unicode.GetBytes(GoodCsv));
        yield return new("UTF-32 with a BOM", "utf32.csv", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(GoodCsv)]);
        yield return new("random bytes", "random.csv", Random(20_000));
        yield return new("random bytes after a good header", "junk-after-header.csv", [.. Text(Header), .. Random(5 * 1024 * 1024)]);
        yield return new("an unclosed quote", "quote.csv", Text(Header + "Q1,\"Ngập phố,21.0,105.8,3,\n" + Good(2)));
        yield return new("a quote inside a bare cell", "midquote.csv", Text(Header + "Q2,Ng\"ập,21.0,105.8,3,\n"));
        yield return new("mixed delimiters", "mixed.csv", Text("id;title,lat\tlon\nA;b,21.0\t105.8\n"));
        yield return new("CR-only line ends", "cr.csv", Text(GoodCsv.Replace('\n', '\r')));
        yield return new("a line of 10,000 cells", "wide-row.csv", Text(Header + "W1,t,21.0,105.8,3," + string.Join(",", Enumerable.Repeat("x", 10_000)) + "\n"));
        yield return new("600 columns", "600-columns.csv", Text(string.Join(",", Enumerable.Range(0, 600).Select(i => $"c{i}")) + "\n1\n"));
        yield return new("a 3 MB line with no end", "long-line.csv", Text(Header + new string('x', 3 * 1024 * 1024)));
        yield return new("coordinates as words", "words.csv", Text(Header + "C1,t,north,east,3,\n" + Good(3)));
        yield return new("coordinates out of range", "range.csv", Text(Header + "C2,t,91,181,3,\nC3,t,-91,-181,3,\nC4,t,0,0,3,\n" + Good(4)));
        yield return new("NaN, infinity and huge numbers", "nan.csv", Text(Header + "C5,t,NaN,Infinity,3,\nC6,t,1e308,-1e308,3,\nC7,t,21.0,105.8,1e400,\n" + Good(5)));
        yield return new("swapped coordinates", "swapped.csv", Text("id,title,lat,lon\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"S{i},t,105.85,21.02\n"))));
        yield return new("extreme dates", "dates.csv", Text(Header + "D1,t,21.0,105.8,3,0001-01-01\nD2,t,21.0,105.8,3,9999-12-31T23:00:00Z\nD3,t,21.0,105.8,3,2026-02-30\nD4,t,21.0,105.8,3,yesterday\n" + Good(6)));
        yield return new("severities off the scale", "severity.csv", Text(Header + "S1,t,21.0,105.8,0,\nS2,t,21.0,105.8,6,\nS3,t,21.0,105.8,-1,\nS4,t,21.0,105.8,1.5,\nS5,t,21.0,105.8,abc,\n" + Good(7)));
        yield return new("unknown status and kind", "status.csv", Text("id,title,lat,lon,status,subtype\nU1,t,21.0,105.8,done,rocket\nU2,t,21.0,105.8,,\n"));
        yield return new("a title of 10,000 characters", "long-title.csv", Text(Header + $"L1,{new string('t', 10_000)},21.0,105.8,3,\n" + Good(8)));
        yield return new("a description of a megabyte", "long-description.csv", Text("id,title,lat,lon,description\nL2,t,21.0,105.8," + new string('d', 1024 * 1024) + "\n"));
        yield return new("the same id twice", "dupes.csv", Text(Header + Good(9) + Good(9) + Good(9)));
        yield return new("empty ids", "empty-ids.csv", Text(Header + ",t,21.0,105.8,3,\n,t,21.0,105.8,3,\n"));
        yield return new("an id of 10,000 characters", "long-id.csv", Text(Header + new string('i', 10_000) + ",t,21.0,105.8,3,\n"));
        yield return new("ward names that exist nowhere", "wards.csv", Text("id,title,ward\nW1,t,Phường Không Có\nW2,t,'; DROP TABLE wards; --\nW3,t,00000\n"));
        yield return new("VN-2000 nonsense", "vn2000.csv", Text("id,title,x,y\nV1,t,-1,-1\nV2,t,1e12,1e12\nV3,t,abc,def\n"));
        yield return new("formula cells", "formula.csv", Text(Header + "=cmd|' /C calc'!A0,=HYPERLINK(\"http://x\"),21.0,105.8,3,\n+1,-1,21.0,105.8,@SUM(1),\n"));
        yield return new("direction overrides and emoji", "bidi.csv", Text(Header + "E1,\u202Eevil\u202C 🏮,21.0,105.8,3,\n"));
        yield return new("decomposed Vietnamese", "nfd.csv", Text(Header + "N1," + "Ngập phố Huế".Normalize(NormalizationForm.FormD) + ",21.0,105.8,3,\n"));
        yield return new("a header of only spaces", "spaces.csv", Text("   ,   ,   \n1,2,3\n"));
        yield return new("ten thousand empty rows", "empty-rows.csv", Text(Header + string.Concat(Enumerable.Repeat(",,,,,\n", 10_000))));
        yield return new("a tab file named .tsv with commas", "tabs.tsv", Text(GoodCsv));
        yield return new("a good file for another layer", "food.csv", Text(GoodCsv), "food-safety");
        yield return new("a good file for a layer that does not exist", "nolayer.csv", Text(GoodCsv), "volcanoes");
    }

    private static IEnumerable<BadFile> GeoJson()
    {
        yield return new("empty", "empty.geojson", []);
        yield return new("an empty object", "object.geojson", Text("{}"));
        yield return new("an empty array", "array.geojson", Text("[]"));
        yield return new("null", "null.geojson", Text("null"));
        yield return new("not JSON", "text.geojson", Text("this is not json"));
        yield return new("CSV named .geojson", "csv.geojson", Text(GoodCsv));
        var good = Text(GoodGeoJson);
        foreach (var cut in new[] { 1, 10, 40, 80, 120, 200, 300, 500, good.Length / 2, good.Length - 1 })
        {
            yield return new($"cut at byte {cut}", $"cut-{cut}.geojson", good[..Math.Min(cut, good.Length - 1)]);
        }
        yield return new("features that are not an array", "features.geojson", Text("""{"type":"FeatureCollection","features":{"a":1}}"""));
        yield return new("a null geometry", "nullgeom.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"title":"t"}}]}"""));
        yield return new("coordinates as strings", "strings.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["105.8","21.0"]},"properties":{}}]}"""));
        yield return new("empty and short coordinates", "short.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[]},"properties":{}},{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{}}]}"""));
        yield return new("a polygon that crosses itself", "bowtie.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[105.8,21.0],[105.9,21.1],[105.9,21.0],[105.8,21.1],[105.8,21.0]]]},"properties":{"title":"t"}}]}"""));
        yield return new("an unknown geometry type", "unknown.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Circle","coordinates":[105.8,21.0],"radius":5},"properties":{}}]}"""));
        yield return new("ten thousand nested arrays", "deep.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":""" + new string('[', 10_000) + new string(']', 10_000) + "}}]}"));
        yield return new("600 property names", "600-props.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.85,21.02]},"properties":{""" + string.Join(",", Enumerable.Range(0, 600).Select(i => $"\"p{i}\":1")) + "}}]}"));
        yield return new("properties that are not an object", "props.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.85,21.02]},"properties":[1,2]}]}"""));
        yield return new("a number past double", "huge.geojson", Text("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,21.02]},"properties":{}}]}"""));
        yield return new("a lone feature", "feature.geojson", Text("""{"type":"Feature","geometry":{"type":"Point","coordinates":[105.85,21.02]},"properties":{"title":"t"}}"""));
        yield return new("a named CRS nobody knows", "crs.geojson", Text("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:99999"}},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.85,21.02]},"properties":{}}]}"""));
        yield return new("UTF-16", "utf16.geojson", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(GoodGeoJson)]);
        yield return new("NUL inside a string", "nul.geojson", Text(GoodGeoJson.Replace("Ngập 1", "Ng\\u0000ập")));
        yield return new("a trailing second document", "two.geojson", Text(GoodGeoJson + GoodGeoJson));
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(content);
            }
        }
        return buffer.ToArray();
    }

    // The good workbook with one part replaced.
    private static byte[] Replaced(string part, byte[] content)
    {
        using var input = new ZipArchive(new MemoryStream(GoodXlsx), ZipArchiveMode.Read);
        return Zip([.. input.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, e.FullName == part ? content : m.ToArray());
        })]);
    }

    private static IEnumerable<BadFile> Xlsx()
    {
        var random = new Random(20);
        var noise = new byte[30_000];
        random.NextBytes(noise);
        yield return new("random bytes", "random.xlsx", noise);
        yield return new("empty", "empty.xlsx", []);
        yield return new("an old binary workbook's header", "ole.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[1000]]);
        yield return new("a CSV named .xlsx", "csv.xlsx", Text(GoodCsv));
        yield return new("a zip with no workbook", "nobook.xlsx", Zip(("hello.txt", Text("hi"))));
        foreach (var cut in new[] { 20, 100, 500, GoodXlsx.Length / 3, GoodXlsx.Length / 2, GoodXlsx.Length - 30 })
        {
            yield return new($"cut at byte {cut}", $"cut-{cut}.xlsx", GoodXlsx[..cut]);
        }
        using (var book = new ZipArchive(new MemoryStream(GoodXlsx), ZipArchiveMode.Read))
        {
            using var s = book.GetEntry("xl/worksheets/sheet1.xml")!.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            var sheet = m.ToArray();
            yield return new("sheet XML cut short", "sheet-cut.xlsx", Replaced("xl/worksheets/sheet1.xml", sheet[..(sheet.Length / 2)]));
        }
        yield return new("sheet XML that is not XML", "sheet-junk.xlsx", Replaced("xl/worksheets/sheet1.xml", noise[..2000]));
        yield return new("an entity expansion (billion laughs)", "laughs.xlsx", Replaced("xl/worksheets/sheet1.xml", Text(
            """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol6;</t></is></c></row></sheetData></worksheet>""")));
        yield return new("an external entity", "xxe.xlsx", Replaced("xl/worksheets/sheet1.xml", Text(
            """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>""")));
        yield return new("a NUL character reference", "nulref.xlsx", Replaced("xl/worksheets/sheet1.xml", Text(
            """<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a&#0;b</t></is></c></row></sheetData></worksheet>""")));
        yield return new("a shared string that does not exist", "sst.xlsx", Replaced("xl/worksheets/sheet1.xml", Text(
            """<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>999999</v></c></row></sheetData></worksheet>""")));
        yield return new("a cell at column XFD and row a million", "far.xlsx", Replaced("xl/worksheets/sheet1.xml", Text(
            """<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>""")));
        yield return new("an empty sheet", "empty-sheet.xlsx", TinyXlsx.Build(("Sheet1", [])));
        yield return new("600 columns", "600.xlsx", TinyXlsx.Build(("Sheet1", [[.. Enumerable.Range(0, 600).Select(i => (object?)$"c{i}")], ["1"]])));
        yield return new("a cell of 100,000 characters", "long-cell.xlsx", TinyXlsx.Build(("Sheet1", [["id", "title", "lat", "lon"], ["L1", new string('t', 100_000), 21.0, 105.8]])));
        yield return new("a zip of 20,000 entries", "entries.xlsx", Zip([.. Enumerable.Range(0, 20_000).Select(i => ($"x/{i}.xml", Array.Empty<byte>()))]));
        yield return new("a zip bomb", "bomb.xlsx", Zip(("xl/worksheets/sheet1.xml", new byte[40 * 1024 * 1024])));
        yield return new("a sheet that is not named", "nosheet.xlsx", GoodXlsx);
        yield return new("the good workbook for food safety", "food.xlsx", GoodXlsx, "food-safety");
    }

    private static IEnumerable<BadFile> Other()
    {
        yield return new("an executable", "tool.exe", [0x4D, 0x5A, 0x90, 0x00, .. new byte[500]]);
        yield return new("an old .xls", "old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        yield return new("a shapefile", "roads.shp", new byte[200]);
        yield return new("no extension", "data", Text(GoodCsv));
        yield return new("a name that climbs folders", "../../../etc/passwd.csv", Text(GoodCsv));
        yield return new("a name of 1,000 characters", new string('n', 1000) + ".csv", Text(GoodCsv));
        yield return new("a name with a control character", "bad\u0001name.csv", Text(GoodCsv));
        yield return new("a name with a NUL", "bad\0name.csv", Text(GoodCsv));
    }

    public static IEnumerable<BadFile> All() => Csv().Concat(GeoJson()).Concat(Xlsx()).Concat(Other());

    /// <summary>Form fields sent with some files: mappings, sheets, coordinate systems and sources that are wrong.</summary>
    public static readonly IReadOnlyDictionary<string, string>[] Fields =
    [
        new Dictionary<string, string>(),
        new Dictionary<string, string> { ["mapping"] = "{\"nope\":\"title\"}" },
        new Dictionary<string, string> { ["mapping"] = "[1,2]" },
        new Dictionary<string, string> { ["mapping"] = "{" },
        new Dictionary<string, string> { ["crs"] = "EPSG:99999" },
        new Dictionary<string, string> { ["sheet"] = "Không có" },
        new Dictionary<string, string> { ["source"] = new string('s', 10_000) },
        new Dictionary<string, string> { ["source"] = "official:x" },
    ];
}
