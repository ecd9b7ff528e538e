package generate

// districtDef is a Landkreis or kreisfreie Stadt of Niedersachsen: its name,
// Kreisschlüssel and approximate population in thousands (the weights of
// the generator; everything below the district level is synthetic).
type districtDef struct {
	name, short, code string
	city              bool // kreisfreie Stadt
	pop               int
}

// districtDefs are listed in the order in which smaller scales take them:
// a scale of 0.1 generates the first five.
var districtDefs = []districtDef{
	{"Landkreis Osnabrück", "Osnabrück", "03459", false, 360},
	{"Stadt Osnabrück", "Osnabrück", "03404", true, 165},
	{"Landkreis Cloppenburg", "Cloppenburg", "03453", false, 173},
	{"Landkreis Emsland", "Emsland", "03454", false, 330},
	{"Region Hannover", "Hannover", "03241", false, 1170},
	{"Stadt Braunschweig", "Braunschweig", "03101", true, 250},
	{"Landkreis Ammerland", "Ammerland", "03451", false, 126},
	{"Landkreis Aurich", "Aurich", "03452", false, 190},
	{"Landkreis Celle", "Celle", "03351", false, 180},
	{"Landkreis Cuxhaven", "Cuxhaven", "03352", false, 200},
	{"Landkreis Diepholz", "Diepholz", "03251", false, 218},
	{"Landkreis Friesland", "Friesland", "03455", false, 98},
	{"Landkreis Gifhorn", "Gifhorn", "03151", false, 178},
	{"Landkreis Goslar", "Goslar", "03153", false, 135},
	{"Landkreis Göttingen", "Göttingen", "03159", false, 325},
	{"Landkreis Grafschaft Bentheim", "Grafschaft Bentheim", "03456", false, 138},
	{"Landkreis Hameln-Pyrmont", "Hameln-Pyrmont", "03252", false, 148},
	{"Landkreis Harburg", "Harburg", "03353", false, 255},
	{"Landkreis Heidekreis", "Heidekreis", "03358", false, 140},
	{"Landkreis Helmstedt", "Helmstedt", "03154", false, 91},
	{"Landkreis Hildesheim", "Hildesheim", "03254", false, 275},
	{"Landkreis Holzminden", "Holzminden", "03255", false, 70},
	{"Landkreis Leer", "Leer", "03457", false, 171},
	{"Landkreis Lüchow-Dannenberg", "Lüchow-Dannenberg", "03354", false, 48},
	{"Landkreis Lüneburg", "Lüneburg", "03355", false, 185},
	{"Landkreis Nienburg/Weser", "Nienburg/Weser", "03256", false, 121},
	{"Landkreis Northeim", "Northeim", "03155", false, 132},
	{"Landkreis Oldenburg", "Oldenburg", "03458", false, 133},
	{"Landkreis Osterholz", "Osterholz", "03356", false, 114},
	{"Landkreis Peine", "Peine", "03157", false, 135},
	{"Landkreis Rotenburg (Wümme)", "Rotenburg (Wümme)", "03357", false, 165},
	{"Landkreis Schaumburg", "Schaumburg", "03257", false, 157},
	{"Landkreis Stade", "Stade", "03359", false, 205},
	{"Landkreis Uelzen", "Uelzen", "03360", false, 93},
	{"Landkreis Vechta", "Vechta", "03460", false, 145},
	{"Landkreis Verden", "Verden", "03361", false, 138},
	{"Landkreis Wesermarsch", "Wesermarsch", "03461", false, 88},
	{"Landkreis Wittmund", "Wittmund", "03462", false, 57},
	{"Landkreis Wolfenbüttel", "Wolfenbüttel", "03158", false, 120},
	{"Stadt Delmenhorst", "Delmenhorst", "03401", true, 78},
	{"Stadt Emden", "Emden", "03402", true, 50},
	{"Stadt Oldenburg (Oldb)", "Oldenburg (Oldb)", "03403", true, 170},
	{"Stadt Salzgitter", "Salzgitter", "03102", true, 105},
	{"Stadt Wilhelmshaven", "Wilhelmshaven", "03405", true, 76},
	{"Stadt Wolfsburg", "Wolfsburg", "03103", true, 125},
}
