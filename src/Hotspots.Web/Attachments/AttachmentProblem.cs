namespace Hotspots.Attachments;

/// <summary>Why a file was not taken, or an attachment not served or changed, in both languages.</summary>
public sealed record AttachmentProblem(string Code, string Vi, string En)
{
    public static readonly AttachmentProblem Empty = new("empty", "Tệp trống.", "The file is empty.");
    public static readonly AttachmentProblem NotAllowedType = new("type",
        "Chỉ nhận ảnh JPEG, PNG, WebP và tệp PDF (kiểm tra theo nội dung tệp, không theo tên).",
        "Only JPEG, PNG and WebP photos and PDF files are accepted (checked by the file's content, not its name).");
    public static readonly AttachmentProblem TooManyPixels = new("pixels", "Ảnh có quá nhiều điểm ảnh (tối đa 60 triệu).",
        "The photo has too many pixels (at most 60 million).");
    public static readonly AttachmentProblem Unreadable = new("unreadable", "Không đọc được ảnh: tệp hỏng hoặc chưa tải hết.",
        "The photo could not be read: the file is broken or incomplete.");
    public static readonly AttachmentProblem NotFound = new("not-found", "Không tìm thấy.", "Not found.");
    public static readonly AttachmentProblem Forbidden = new("forbidden", "Bạn không có quyền thay đổi ảnh, tệp ở địa bàn này.",
        "You may not change photos and files in this area.");
    public static readonly AttachmentProblem PlannersOnly = new("planners-only", "Chỉ cán bộ quy hoạch được công khai ảnh, tệp.",
        "Only planners may make a photo or file public.");

    public static AttachmentProblem TooLarge(int maxMb) => new("too-large", $"Tệp lớn hơn {maxMb} MB.", $"The file is larger than {maxMb} MB.");

    public static AttachmentProblem TooMany(int max) => new("too-many", $"Mỗi bản ghi có tối đa {max} ảnh, tệp.", $"A record holds at most {max} photos and files.");

    public string In(bool english) => english ? En : Vi;
}
