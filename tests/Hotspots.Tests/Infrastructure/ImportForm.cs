using System.Net.Http.Headers;
using System.Text;

namespace Hotspots.Tests.Infrastructure;

/// <summary>The multipart form a clerk's browser or a department system sends to POST /api/imports.</summary>
public static class ImportForm
{
    public static MultipartFormDataContent Csv(string csv, string fileName, string layer, string source)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(layer), "layer");
        form.Add(new StringContent(source), "source");
        return form;
    }
}
