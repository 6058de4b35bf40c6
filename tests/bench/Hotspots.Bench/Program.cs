using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

// Usage: Hotspots.Bench <base-url> [first-view runs] [tab counts, comma-separated]
// Prints FIRST-VIEW, TABS and SLOPE lines; tests/bench/dashboard.sh runs it against 20,000 and 1,000,000 records.
// Hotspots.Bench photo <file.jpg>: writes a 12-megapixel phone-sized JPEG of about 5 MB (tests/bench/photos.sh).
// Hotspots.Bench rebuild-cost <connection string> [rounds]: a full snapshot rebuild with every part and without the
// ward quality part, alternating (tests/bench/quality.sh).
// Hotspots.Bench apply-cost <connection string> [edits] [batch] [wide from wards] [wide from records]: the refresher's time for one-edit batches and for
// batches of many edits, with each part's share (tests/bench/live.sh's first figure, taken apart).
// Hotspots.Bench rebuilds <connection string> [rounds]: full snapshot rebuilds alone, each with its parts' times.
if (args is ["rebuild-cost", var connection, ..])
{
    await RebuildCost.RunAsync(connection, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}
if (args is ["apply-cost", var applyConnection, ..])
{
    await ApplyCost.RunAsync(applyConnection, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null,
        args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : null);
    return;
}
if (args is ["rebuilds", var rebuildConnection, ..])
{
    await ApplyCost.RebuildsAsync(rebuildConnection, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}
if (args is ["photo", var photoPath])
{
    File.WriteAllBytes(photoPath, PhonePhoto.Jpeg());
    return;
}
var baseUrl = args.Length > 0 ? args[0].TrimEnd('/') : "http://127.0.0.1:5080";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var tabCounts = (args.Length > 2 ? args[2] : "0,10,20,30,40").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Args = ["--no-sandbox"],
});

var signedIn = await SignIn.StateAsync(browser, baseUrl);
await FirstView.RunAsync(browser, baseUrl, runs, signedIn);
await Tabs.RunAsync(browser, baseUrl, tabCounts, signedIn);
