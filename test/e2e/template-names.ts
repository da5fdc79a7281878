// How the tests find the shipped `vnc-desktop` template's card by its accessible name: a
// desktop card that is not the GPU (Moonlight/Sunshine) one.
export const VNC_DESKTOP_CARD = /^(?!.*(GPU|Moonlight|Sunshine)).*desktop/i;
