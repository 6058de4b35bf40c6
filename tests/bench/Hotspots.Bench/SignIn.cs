using System.Text.RegularExpressions;
using Microsoft.Playwright;

/// <summary>
/// The dashboard is behind sign-in: sign in once through the form (HOTSPOTS_ADMIN_EMAIL / _PASSWORD, as the bench
/// scripts start the service) and give every measured context that cookie, so a run measures the page, not the form.
/// </summary>
internal static class SignIn
{
    public static async Task<string> StateAsync(IBrowser browser, string baseUrl)
    {
        var email = Environment.GetEnvironmentVariable("HOTSPOTS_ADMIN_EMAIL") ?? throw new InvalidOperationException("HOTSPOTS_ADMIN_EMAIL is not set");
        var password = Environment.GetEnvironmentVariable("HOTSPOTS_ADMIN_PASSWORD") ?? throw new InvalidOperationException("HOTSPOTS_ADMIN_PASSWORD is not set");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/account/signin");
        await page.FillAsync("#signin-email", email);
        await page.FillAsync("#signin-password", password);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^(?!.*/account/signin)"), new PageAssertionsToHaveURLOptions { Timeout = 20_000 });
        return await context.StorageStateAsync();
    }
}
