//! The messages of the OSM PBF format (`fileformat.proto`, `osmformat.proto`) that
//! the writer and the file checker use, declared with prost derives.
#[derive(Clone, PartialEq, prost::Message)]
pub struct BlobHeader {
    #[prost(string, required, tag = "1")]
    pub r#type: String,
    #[prost(int32, required, tag = "3")]
    pub datasize: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Blob {
    #[prost(bytes = "vec", optional, tag = "1")]
    pub raw: Option<Vec<u8>>,
    #[prost(int32, optional, tag = "2")]
    pub raw_size: Option<i32>,
    #[prost(bytes = "vec", optional, tag = "3")]
    pub zlib_data: Option<Vec<u8>>,
    #[prost(bytes = "vec", optional, tag = "4")]
    pub lzma_data: Option<Vec<u8>>,
    #[prost(bytes = "vec", optional, tag = "6")]
    pub lz4_data: Option<Vec<u8>>,
    #[prost(bytes = "vec", optional, tag = "7")]
    pub zstd_data: Option<Vec<u8>>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct HeaderBBox {
    #[prost(sint64, required, tag = "1")]
    pub left: i64,
    #[prost(sint64, required, tag = "2")]
    pub right: i64,
    #[prost(sint64, required, tag = "3")]
    pub top: i64,
    #[prost(sint64, required, tag = "4")]
    pub bottom: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct HeaderBlock {
    #[prost(message, optional, tag = "1")]
    pub bbox: Option<HeaderBBox>,
    #[prost(string, repeated, tag = "4")]
    pub required_features: Vec<String>,
    #[prost(string, repeated, tag = "5")]
    pub optional_features: Vec<String>,
    #[prost(string, optional, tag = "16")]
    pub writingprogram: Option<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StringTable {
    #[prost(bytes = "vec", repeated, tag = "1")]
    pub s: Vec<Vec<u8>>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct DenseNodes {
    #[prost(sint64, repeated, packed = "true", tag = "1")]
    pub id: Vec<i64>,
    #[prost(sint64, repeated, packed = "true", tag = "8")]
    pub lat: Vec<i64>,
    #[prost(sint64, repeated, packed = "true", tag = "9")]
    pub lon: Vec<i64>,
    #[prost(int32, repeated, packed = "true", tag = "10")]
    pub keys_vals: Vec<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Way {
    #[prost(int64, required, tag = "1")]
    pub id: i64,
    #[prost(uint32, repeated, packed = "true", tag = "2")]
    pub keys: Vec<u32>,
    #[prost(uint32, repeated, packed = "true", tag = "3")]
    pub vals: Vec<u32>,
    #[prost(sint64, repeated, packed = "true", tag = "8")]
    pub refs: Vec<i64>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PrimitiveGroup {
    #[prost(message, optional, tag = "2")]
    pub dense: Option<DenseNodes>,
    #[prost(message, repeated, tag = "3")]
    pub ways: Vec<Way>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PrimitiveBlock {
    #[prost(message, required, tag = "1")]
    pub stringtable: StringTable,
    #[prost(message, repeated, tag = "2")]
    pub primitivegroup: Vec<PrimitiveGroup>,
    #[prost(int32, optional, tag = "17")]
    pub granularity: Option<i32>,
}

/// A `PrimitiveBlock` as the import's second pass reads it: node ids and positions
/// only (the string table, tags, ways and relations are skipped undecoded).
#[derive(Clone, PartialEq, prost::Message)]
pub struct PositionsBlock {
    #[prost(message, repeated, tag = "2")]
    pub primitivegroup: Vec<PositionsGroup>,
    #[prost(int32, optional, tag = "17")]
    pub granularity: Option<i32>,
    #[prost(int64, optional, tag = "19")]
    pub lat_offset: Option<i64>,
    #[prost(int64, optional, tag = "20")]
    pub lon_offset: Option<i64>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PositionsGroup {
    #[prost(message, repeated, tag = "1")]
    pub nodes: Vec<NodePosition>,
    #[prost(message, optional, tag = "2")]
    pub dense: Option<DensePositions>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct NodePosition {
    #[prost(sint64, required, tag = "1")]
    pub id: i64,
    #[prost(sint64, required, tag = "8")]
    pub lat: i64,
    #[prost(sint64, required, tag = "9")]
    pub lon: i64,
}

/// Dense nodes' ids and coordinates as their packed bytes (zigzag varints, delta
/// coded), read as a stream ([`crate::import`]'s `Varints`), not decoded into vectors.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DensePositions {
    #[prost(bytes = "vec", tag = "1")]
    pub id: Vec<u8>,
    #[prost(bytes = "vec", tag = "8")]
    pub lat: Vec<u8>,
    #[prost(bytes = "vec", tag = "9")]
    pub lon: Vec<u8>,
}

/// Dense nodes' ids and tags as their packed bytes; their coordinates (fields 8
/// and 9) are skipped undecoded.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DenseTags {
    #[prost(bytes = "vec", tag = "1")]
    pub id: Vec<u8>,
    #[prost(bytes = "vec", tag = "10")]
    pub keys_vals: Vec<u8>,
}

/// A `PrimitiveBlock` as the import's first pass reads it for a road graph
/// (`import_roads`): strings, nodes and ways; relations are only counted (a block
/// with relations goes to osmpbfreader), changesets are skipped.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RoadsBlock {
    #[prost(message, required, tag = "1")]
    pub stringtable: StringTable,
    #[prost(message, repeated, tag = "2")]
    pub primitivegroup: Vec<RoadsGroup>,
    #[prost(int32, optional, tag = "17")]
    pub granularity: Option<i32>,
    #[prost(int64, optional, tag = "19")]
    pub lat_offset: Option<i64>,
    #[prost(int64, optional, tag = "20")]
    pub lon_offset: Option<i64>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct RoadsGroup {
    #[prost(message, repeated, tag = "1")]
    pub nodes: Vec<SimpleNode>,
    #[prost(message, optional, tag = "2")]
    pub dense: Option<DenseTags>,
    #[prost(message, repeated, tag = "3")]
    pub ways: Vec<Way>,
    #[prost(bytes = "vec", repeated, tag = "4")]
    pub relations: Vec<Vec<u8>>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SimpleNode {
    #[prost(sint64, required, tag = "1")]
    pub id: i64,
    #[prost(uint32, repeated, packed = "true", tag = "2")]
    pub keys: Vec<u32>,
    #[prost(uint32, repeated, packed = "true", tag = "3")]
    pub vals: Vec<u32>,
    #[prost(sint64, required, tag = "8")]
    pub lat: i64,
    #[prost(sint64, required, tag = "9")]
    pub lon: i64,
}
