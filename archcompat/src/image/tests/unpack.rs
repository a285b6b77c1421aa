//! Unpacking a merged root filesystem: whiteouts applied across layers (the umoci-built
//! `layered` image), the private directory removed on drop.

use crate::image::unpack::unpack;
use crate::image::{Options, analyze};
use crate::platform::{Host, Platform};

#[test]
fn whiteouts_are_applied_and_the_directory_is_removed() {
    let src = format!(
        "oci:{}:layered",
        super::image_support::fixtures().join("oci").display()
    );
    let host = Host::from_platform("linux/amd64".parse::<Platform>().unwrap());
    let a = analyze(&src, &host, &Options::default()).unwrap();
    let fs = unpack(&src, &a.selected.unwrap().digest, &Options::default()).unwrap();
    let dir = fs.private_dir().to_path_buf();
    assert!(!fs.exists("/opt/old/tool"), "whited-out file is present");
    assert!(fs.exists("/bin/app"));
    let bytes = std::fs::read(fs.resolve("/bin/app").unwrap()).unwrap();
    // ELF e_machine 62 = x86-64: the second layer's file, not the first's arm64 one.
    assert_eq!(u16::from_le_bytes([bytes[18], bytes[19]]), 62);
    drop(fs);
    assert!(!dir.exists(), "{} was not removed", dir.display());
}
