namespace Hotspots.Attachments;

/// <summary>Photos and PDF files on records and field reports (issue 18).</summary>
public static class AttachmentsSetup
{
    public static void AddAttachments(this WebApplicationBuilder builder) => builder.Services.AddSingleton<AttachmentStore>();

    public static void MapAttachments(this WebApplication app) => app.MapAttachmentsApi();
}
