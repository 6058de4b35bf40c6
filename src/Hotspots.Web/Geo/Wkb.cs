using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Hotspots.Geo;

/// <summary>
/// The one place where geometry crosses the Npgsql boundary (Npgsql.NetTopologySuite is not available here):
/// NTS → WKB bytes → ST_GeomFromWKB(@wkb, 4326), and ST_AsBinary → NTS on the way back.
/// </summary>
public static class Wkb
{
    private static readonly WKBWriter Writer = new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);

    private static readonly WKBWriter EwkbWriter = new(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false);

    public static byte[] Write(Geometry geometry) => Writer.Write(geometry);

    /// <summary>EWKB with SRID 4326: PostGIS's binary form of a geometry, so a binary COPY can fill a geometry column.</summary>
    public static byte[] WriteEwkb(Geometry geometry)
    {
        geometry.SRID = 4326;
        return EwkbWriter.Write(geometry);
    }

    public static Geometry Read(byte[] bytes) => new WKBReader(GeoJsonGeometry.Factory.GeometryServices).Read(bytes);
}
