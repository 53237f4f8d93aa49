import { Image, Skeleton } from "@mantine/core";
import QRCode from "qrcode";
import { useEffect, useState } from "react";

/**
 * A QR code of `value`, drawn in the browser (nothing leaves the machine: the value may be a
 * secret). Dark modules on white whatever the theme, since phone cameras read that best.
 */
export function QrCode({ value, label, size = 176 }: { value: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 2 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [value]);
  if (!src) return <Skeleton w={size} h={size} aria-hidden />;
  return <Image src={src} alt={label} w={size} h={size} radius="sm" bg="white" />;
}
