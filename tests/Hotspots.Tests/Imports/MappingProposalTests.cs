using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hotspots.Imports;
using Hotspots.Imports.Mapping;
using Hotspots.Imports.Reading;
using Hotspots.Layers;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Imports;

/// <summary>
/// The proposal for real-world-shaped headers — newsrooms', clerks', surveyors', OpenStreetMap's; Vietnamese and
/// English, without diacritics, abbreviated, camelCase, with extra columns, only an address, only a ward code,
/// coordinates in odd columns — each with the columns a clerk would choose.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class MappingProposalTests(ImportsApp app)
{
    public static TheoryData<string, string, string, bool> Corpus => new()
    {
        // layer, CSV (header and a few rows), expected "field=column|…" (the fields a clerk would fill), placeable surely
        { "flooding", """
            STT,Thời gian,Địa điểm ngập,Quận,Phường,Độ sâu (cm),Vĩ độ,Kinh độ,Ghi chú
            1,10/09/2025 08:30,Phố Hoa Bằng đoạn số 91-97,Cầu Giấy,Yên Hòa,40,21.02639,105.7965,Ngập nửa bánh xe
            2,10/09/2025 09:00,Ngã tư Nguyễn Khuyến – Văn Miếu,Đống Đa,Văn Miếu - Quốc Tử Giám,25,21.028283,105.838667,
            3,10/09/2025 09:10,Đường Nguyễn Trãi trước số 290,Thanh Xuân,Thanh Xuân,60,20.99,105.80,Xe chết máy
            """, "reported_at=Thời gian|title=Địa điểm ngập|district=Quận|ward=Phường|depth_cm=Độ sâu (cm)|lat=Vĩ độ|lon=Kinh độ|description=Ghi chú", true },
        { "flooding", """
            no,observed_at,location_name,district,ward,water_depth_cm,lat,lng
            1,2025-09-10T08:30:00+07:00,Hoa Bang street,Cau Giay,Yen Hoa,40,21.02639,105.7965
            2,2025-09-10T09:00:00+07:00,Nguyen Khuyen x Van Mieu,Dong Da,Van Mieu - Quoc Tu Giam,25,21.028283,105.838667
            3,2025-09-10T09:10:00+07:00,Nguyen Trai near no. 290,Thanh Xuan,Thanh Xuan,60,20.99,105.80
            """, "reported_at=observed_at|title=location_name|district=district|ward=ward|depth_cm=water_depth_cm|lat=lat|lon=lng", true },
        { "flooding", """
            address,latitude,longitude
            54-56 Hoa Bằng,21.02639,105.7965
            Số 290 Nguyễn Trãi,20.99,105.80
            Ngõ 12 Láng Hạ,21.01,105.81
            """, "address=address|lat=latitude|lon=longitude", true },
        { "urban-order", """
            ten diem,vi do,kinh do,muc do,trang thai
            Lan chiem via he pho Hue,21.015,105.851,3,moi tiep nhan
            Quang cao sai phep,21.02,105.85,2,dang xu ly
            Do xe trai phep,21.03,105.84,4,da khac phuc
            """, "title=ten diem|lat=vi do|lon=kinh do|severity=muc do|status=trang thai", true },
        { "congestion", """
            locationName,latitude,longitude,reportedAt,status
            Nga tu So,21.003,105.82,2025-03-01,new
            Cau Giay,21.03,105.80,2025-03-02,resolved
            Kim Ma,21.03,105.82,2025-03-03,in_progress
            """, "title=locationName|lat=latitude|lon=longitude|reported_at=reportedAt|status=status", true },
        { "flooding", """
            Tên,N,E
            Điểm 1,21.02,105.85
            Điểm 2,21.03,105.84
            Điểm 3,21.00,105.82
            """, "title=Tên|lat=N|lon=E", true },
        { "flooding", """
            Điểm,Toạ độ 1,Toạ độ 2
            Phố Huế,21.015,105.851
            Phố Bà Triệu,21.016,105.849
            Kim Liên,21.006,105.836
            """, "title=Điểm|lat=Toạ độ 1|lon=Toạ độ 2", true },
        { "environment", """
            Tên điểm,X (m),Y (m)
            Bãi rác tự phát,2325010.5,585012.3
            Đốt rơm rạ,2326010.5,586012.3
            Điểm tập kết,2324010.5,584012.3
            """, "title=Tên điểm|y=X (m)|x=Y (m)", true },
        { "urban-order", """
            Mã phường,Nội dung vi phạm
            00004,Lấn chiếm vỉa hè
            00070,Biển quảng cáo sai quy định
            00199,Xây dựng không phép
            """, "ward_code=Mã phường|title=Nội dung vi phạm", true },
        { "urban-order", """
            Ma DV,Vu viec
            00004,Lấn chiếm vỉa hè phố Hàng Bông
            00070,Biển quảng cáo sai quy định tại số 5
            00199,Xây dựng không phép ngõ 3
            """, "ward_code=Ma DV|title=Vu viec", true },
        { "environment", """
            Khu vực,Tên điểm
            Hoàn Kiếm,Điểm tập kết rác chợ Hôm
            Ba Đình,Điểm đốt rác bờ sông
            Đống Đa,Bãi rác tự phát ngõ 10
            """, "ward=Khu vực|title=Tên điểm", true },
        { "flooding", """
            Phường (cũ),Quận (cũ),Tiêu đề
            Phúc Xá,Ba Đình,Ngập ngõ 12
            Trúc Bạch,Ba Đình,Ngập phố Châu Long
            Hàng Bông,Hoàn Kiếm,Ngập phố Hàng Bông
            """, "ward=Phường (cũ)|district=Quận (cũ)|title=Tiêu đề", true },
        { "food-safety", """
            @id,name,amenity,addr:street,addr:housenumber,cuisine,lat,lon
            node/1,Phở Thìn,restaurant,Lò Đúc,13,vietnamese,21.015,105.857
            node/2,,cafe,Hàng Gai,20,,21.032,105.85
            node/3,Bún chả,fast_food,Hàng Mành,1,,21.033,105.849
            """, "external_id=@id|title=name|street=addr:street|house_number=addr:housenumber|lat=lat|lon=lon", true },
        { "urban-order", """
            ID,Title,Description,Severity,Status,Reported,Deadline,Latitude,Longitude,Ward
            A1,Encroachment,On the pavement,3,new,2025-03-01,2025-04-01,21.02,105.85,Hoàn Kiếm
            A2,Billboard,Too large,2,verified,2025-03-02,2025-04-02,21.03,105.84,Ba Đình
            A3,Parking,Blocking,4,resolved,2025-03-03,2025-04-03,21.00,105.82,Đống Đa
            """, "external_id=ID|title=Title|description=Description|severity=Severity|status=Status|reported_at=Reported|deadline=Deadline|lat=Latitude|lon=Longitude|ward=Ward", true },
        { "food-safety", """
            Tên cơ sở,Địa chỉ,Ngày kiểm tra,Kết quả,Lỗi vi phạm,Vĩ độ,Kinh độ
            Bếp ăn trường Tiểu học A,Số 5 phố Huế,14/03/2025,Đạt,,21.015,105.851
            Nhà hàng B,12 Lò Đúc,15/03/2025,Không đạt,Không lưu mẫu,21.014,105.857
            Quán C,3 Hàng Gai,16/03/2025,Đạt,,21.032,105.85
            """, "title=Tên cơ sở|address=Địa chỉ|inspection_date=Ngày kiểm tra|result=Kết quả|violations=Lỗi vi phạm|lat=Vĩ độ|lon=Kinh độ", true },
        { "environment", """
            Trạm,AQI,PM2.5,Ngày đo,lat,lon
            Trạm Hoàn Kiếm,152,58.4,14/03/2025,21.03,105.85
            Trạm Cầu Giấy,120,41.2,14/03/2025,21.03,105.80
            Trạm Hà Đông,98,30.1,14/03/2025,20.97,105.77
            """, "title=Trạm|aqi=AQI|pm25=PM2.5|measured_at=Ngày đo|lat=lat|lon=lon", true },
        { "congestion", """
            Nút giao,Giờ cao điểm,Nguyên nhân,Vĩ độ,Kinh độ
            Ngã tư Sở,07:00-09:00,Lưu lượng lớn,21.003,105.82
            Nút Kim Liên,17:00-19:00,Thi công,21.006,105.836
            Cầu Giấy – Xuân Thủy,07:00-09:00,Thiết kế nút giao,21.036,105.79
            """, "title=Nút giao|peak_hours=Giờ cao điểm|cause=Nguyên nhân|lat=Vĩ độ|lon=Kinh độ", true },
        { "urban-order", """
            Mã,Tiêu đề,Người báo,SĐT,Vĩ độ,Kinh độ,Ảnh
            T1,Lấn chiếm vỉa hè,Nguyễn Văn A,0912345678,21.02,105.85,a.jpg
            T2,Đỗ xe trái phép,Trần Thị B,0987654321,21.03,105.84,b.jpg
            T3,Biển quảng cáo,Lê C,0901234567,21.00,105.82,c.jpg
            """, "external_id=Mã|title=Tiêu đề|lat=Vĩ độ|lon=Kinh độ", true },
        { "flooding", """
            TT,Ten,VD,KD,Ngay
            1,Ngap pho Hue,21.015,105.851,10/09/2025
            2,Ngap Kim Lien,21.006,105.836,10/09/2025
            3,Ngap Nguyen Trai,20.99,105.80,11/09/2025
            """, "title=Ten|lat=VD|lon=KD|reported_at=Ngay", true },
        { "flooding", """
            name,lat,lon
            Swapped one,105.851,21.015
            Swapped two,105.836,21.006
            Swapped three,105.80,20.99
            """, "title=name|lat=lat|lon=lon", true },
        { "urban-order", """
            Địa chỉ,Phường,Quận
            Số 5 phố Huế,Hàng Bài,Hoàn Kiếm
            12 Lò Đúc,Phạm Đình Hổ,Hai Bà Trưng
            3 Hàng Gai,Hàng Gai,Hoàn Kiếm
            """, "address=Địa chỉ|ward=Phường|district=Quận", true },
        { "flooding", """
            Thời điểm ghi nhận,Vị trí,Mực nước (cm),Lat,Long
            10/09/2025 08:30,Phố Hoa Bằng,40,21.02639,105.7965
            10/09/2025 09:00,Phố Nguyễn Khuyến,25,21.028283,105.838667
            10/09/2025 09:10,Đường Nguyễn Trãi,60,20.99,105.80
            """, "reported_at=Thời điểm ghi nhận|title=Vị trí|lat=Lat|lon=Long", true },
        { "flooding", """
            Tên,Ghi chú
            Ngập phố Huế,không rõ vị trí
            Ngập Kim Liên,không rõ vị trí
            """, "title=Tên|description=Ghi chú", false },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_real_world_header_gets_the_columns_a_clerk_would_choose(string layerId, string csv, string expected, bool placeable)
    {
        var wards = await app.Services.GetRequiredService<ImportPlaces>().CrosswalkAsync(CancellationToken.None);
        var (header, rows, _, _) = CsvSource.Read(Encoding.UTF8.GetBytes(csv.Replace("\n", "\r\n", StringComparison.Ordinal)));
        var proposal = MappingProposer.Propose(LayerCatalog.Find(layerId)!, header, rows.ToList(), wards);
        var got = proposal.Fields.Where(f => f.Column is not null && f.Confidence >= Confidence.Medium).ToDictionary(f => f.Field, f => f.Column!);
        var want = expected.Split('|').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(want.OrderBy(p => p.Key), got.OrderBy(p => p.Key));
        Assert.Equal(placeable, proposal.Placeable);
        Assert.All(proposal.Fields.Where(f => f.Column is not null), f => Assert.False(string.IsNullOrWhiteSpace(f.ReasonVi)));
    }

    // Each field under names people use for it, and three rows of what it holds.
    private static readonly (string Field, string[] Names, string[] Values)[] Synonyms =
    [
        ("title", ["Tiêu đề", "Tên điểm", "name", "location_name", "Địa điểm", "ten", "locationName"], ["Ngập phố Huế", "Ngập Kim Liên", "Ngập Nguyễn Trãi"]),
        ("lat", ["Vĩ độ", "lat", "latitude", "VD", "N"], ["21.015", "21.006", "20.99"]),
        ("lon", ["Kinh độ", "lng", "longitude", "KD", "E", "Long"], ["105.851", "105.836", "105.80"]),
        ("reported_at", ["Ngày phát hiện", "date", "observed_at", "Ngày", "reportedAt", "Thời điểm"], ["10/09/2025", "11/09/2025", "2025-09-12"]),
        ("severity", ["Mức độ", "severity", "level", "muc do"], ["3", "2", "4"]),
        ("status", ["Trạng thái", "status", "Tình trạng", "TRANG_THAI"], ["mới tiếp nhận", "đang xử lý", "đã khắc phục"]),
        ("description", ["Mô tả", "Ghi chú", "notes", "mo_ta"], ["Ngập sâu sau mưa lớn kéo dài", "Xe máy chết máy nhiều", "Nước rút chậm"]),
        ("external_id", ["Mã", "id", "code", "Mã điểm"], ["F1", "F2", "F3"]),
    ];

    [Fact]
    public async Task Renaming_columns_among_known_synonyms_or_reordering_them_gives_the_same_mapping()
    {
        var wards = await app.Services.GetRequiredService<ImportPlaces>().CrosswalkAsync(CancellationToken.None);
        var layer = LayerCatalog.Find("flooding")!;
        var files = from picks in Gen.ArrayOf(Gen.Choose(0, 1000), Synonyms.Length)
                    from order in Gen.Shuffle(Enumerable.Range(0, Synonyms.Length).ToArray())
                    select (Picks: picks, Order: order);
        Prop.ForAll(files.ToArbitrary(), f =>
        {
            var columns = f.Order.Select(i => (Synonyms[i].Field, Name: Synonyms[i].Names[f.Picks[i] % Synonyms[i].Names.Length], Synonyms[i].Values)).ToList();
            var sb = new StringBuilder(string.Join(',', columns.Select(c => c.Name))).Append("\r\n");
            for (var row = 0; row < 3; row++)
            {
                sb.AppendJoin(',', columns.Select(c => c.Values[row])).Append("\r\n");
            }
            var (header, rows, _, _) = CsvSource.Read(Encoding.UTF8.GetBytes(sb.ToString()));
            var proposal = MappingProposer.Propose(layer, header, rows.ToList(), wards);
            foreach (var (field, name, _) in columns)
            {
                if (proposal.Of(field) is not { Column: var column, Confidence: >= Confidence.Medium } || column != name)
                {
                    throw new InvalidOperationException($"{string.Join(",", header)}: {field} → {proposal.Of(field)?.Column ?? "nothing"}, expected {name}");
                }
            }
            return proposal.Placeable;
        }).QuickCheckThrowOnFailure();
    }
}
