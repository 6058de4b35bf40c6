namespace Hotspots.Accounts;

/// <summary>
/// What a password must be. Identity's PasswordValidator needs a UserManager and a user store; these few rules
/// do not, and their messages are ours (vi/en).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;

    // The passwords every list of leaked ones starts with, and the obvious local ones.
    private static readonly string[] Common =
    [
        "123456789012", "password1234", "qwertyuiop12", "matkhau12345", "hanoi1234567", "admin1234567", "1234567890ab",
        "abcdefghijkl", "passwordpassword", "iloveyou1234", "welcome12345", "changeme1234",
    ];

    /// <summary>Every rule the password breaks (empty when it is acceptable).</summary>
    public static IReadOnlyList<string> Problems(string? password, string? email, bool english)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            problems.Add(english ? "a password is required" : "cần có mật khẩu");
            return problems;
        }
        if (password.Length < MinLength)
        {
            problems.Add(english ? $"at least {MinLength} characters" : $"ít nhất {MinLength} ký tự");
        }
        var classes = new[] { password.Any(char.IsLower), password.Any(char.IsUpper), password.Any(char.IsDigit), password.Any(c => !char.IsLetterOrDigit(c)) }.Count(b => b);
        if (classes < 3)
        {
            problems.Add(english ? "at least three of: lower case, upper case, digit, symbol" : "ít nhất ba loại: chữ thường, chữ hoa, chữ số, ký hiệu");
        }
        if (password.Distinct().Count() < 6)
        {
            problems.Add(english ? "at least 6 different characters" : "ít nhất 6 ký tự khác nhau");
        }
        var lower = password.ToLowerInvariant();
        var local = email?.Split('@')[0].ToLowerInvariant() ?? "";
        if (local.Length >= 4 && lower.Contains(local, StringComparison.Ordinal))
        {
            problems.Add(english ? "must not contain the email name" : "không được chứa tên email");
        }
        if (Common.Any(c => lower.Contains(c, StringComparison.Ordinal)) || lower.Contains("password", StringComparison.Ordinal) || lower.Contains("matkhau", StringComparison.Ordinal))
        {
            problems.Add(english ? "too common" : "quá phổ biến");
        }
        return problems;
    }
}
