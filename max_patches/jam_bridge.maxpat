{
	"patcher" : {
		"fileversion" : 1,
		"appversion" : {
			"major" : 8,
			"minor" : 6,
			"revision" : 0,
			"architecture" : "x64",
			"modernui" : 1
		},
		"classnamespace" : "box",
		"rect" : [
			100.0,
			100.0,
			1400.0,
			900.0
		],
		"openrect" : [
			0.0,
			0.0,
			300.0,
			169.0
		],
		"openinpresentation" : 1,
		"default_fontsize" : 10.0,
		"default_fontname" : "Arial Bold",
		"gridsize" : [
			8.0,
			8.0
		],
		"devicewidth" : 300.0,
		"latency" : 0,
		"is_mpe" : 0,
		"minimum_live_version" : "",
		"boxes" : [
			{
				"box" : {
					"id" : "obj-1",
					"maxclass" : "newobj",
					"text" : "udpsend 127.0.0.1 7400",
					"patching_rect" : [
						620.0,
						860.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-2",
					"maxclass" : "newobj",
					"text" : "live.thisdevice",
					"patching_rect" : [
						20.0,
						20.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-3",
					"maxclass" : "newobj",
					"text" : "t b b b b",
					"patching_rect" : [
						20.0,
						50.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-4",
					"maxclass" : "message",
					"text" : "/jam/hello 7401",
					"patching_rect" : [
						20.0,
						120.0,
						117.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-5",
					"maxclass" : "message",
					"text" : "/jam/list",
					"patching_rect" : [
						140.0,
						120.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-6",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						220.0,
						120.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-7",
					"maxclass" : "message",
					"text" : "path live_set",
					"patching_rect" : [
						260.0,
						120.0,
						103.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-8",
					"maxclass" : "newobj",
					"text" : "metro 1000",
					"patching_rect" : [
						220.0,
						160.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-9",
					"maxclass" : "message",
					"text" : "/jam/ping 1",
					"patching_rect" : [
						220.0,
						190.0,
						89.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-10",
					"maxclass" : "comment",
					"text" : "Jam Bridge",
					"patching_rect" : [
						20.0,
						600.0,
						82.0,
						20.0
					],
					"fontsize" : 14.0,
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						4.0,
						150.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-11",
					"maxclass" : "comment",
					"text" : "link",
					"patching_rect" : [
						20.0,
						630.0,
						40.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						236.0,
						6.0,
						32.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-12",
					"maxclass" : "live.toggle",
					"parameter_enable" : 1,
					"varname" : "link",
					"patching_rect" : [
						20.0,
						660.0,
						16.0,
						16.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						270.0,
						8.0,
						16.0,
						16.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Link",
							"parameter_shortname" : "Link",
							"parameter_type" : 2,
							"parameter_enum" : [
								"off",
								"on"
							]
						}
					},
					"ignoreclick" : 1,
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-13",
					"maxclass" : "comment",
					"text" : "Checkpoint",
					"patching_rect" : [
						120.0,
						630.0,
						82.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						34.0,
						70.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-14",
					"maxclass" : "live.menu",
					"parameter_enable" : 1,
					"varname" : "checkpoint",
					"patching_rect" : [
						120.0,
						660.0,
						208.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						80.0,
						34.0,
						208.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Checkpoint",
							"parameter_shortname" : "Checkpoint",
							"parameter_type" : 2,
							"parameter_enum" : [
								"mle",
								"rl",
								"gapt-1.0"
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-15",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "temperature",
					"patching_rect" : [
						340.0,
						660.0,
						64.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						64.0,
						64.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Temperature",
							"parameter_shortname" : "Temp",
							"parameter_type" : 0,
							"parameter_mmin" : 0.0,
							"parameter_mmax" : 3.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								0.5
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-16",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "lookahead",
					"patching_rect" : [
						420.0,
						660.0,
						64.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						80.0,
						64.0,
						64.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Lookahead",
							"parameter_shortname" : "Ahead",
							"parameter_type" : 0,
							"parameter_mmin" : 0.25,
							"parameter_mmax" : 8.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								2.0
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-17",
					"maxclass" : "comment",
					"text" : "Output",
					"patching_rect" : [
						500.0,
						630.0,
						54.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						156.0,
						64.0,
						60.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-18",
					"maxclass" : "live.tab",
					"parameter_enable" : 1,
					"varname" : "output",
					"patching_rect" : [
						500.0,
						660.0,
						132.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						156.0,
						84.0,
						132.0,
						20.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Output",
							"parameter_shortname" : "Output",
							"parameter_type" : 2,
							"parameter_enum" : [
								"midi",
								"audio",
								"both"
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-19",
					"maxclass" : "comment",
					"text" : "bridge 127.0.0.1:7400, replies on :7401",
					"patching_rect" : [
						20.0,
						720.0,
						285.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						140.0,
						284.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-20",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set temperature",
					"patching_rect" : [
						340.0,
						760.0,
						208.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-21",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set lookahead_beats",
					"patching_rect" : [
						420.0,
						760.0,
						236.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-22",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set output",
					"patching_rect" : [
						500.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-23",
					"maxclass" : "newobj",
					"text" : "prepend /jam/checkpoint",
					"patching_rect" : [
						120.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-24",
					"maxclass" : "newobj",
					"text" : "midiin",
					"patching_rect" : [
						320.0,
						20.0,
						54.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-25",
					"maxclass" : "newobj",
					"text" : "midiout",
					"patching_rect" : [
						320.0,
						400.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-26",
					"maxclass" : "newobj",
					"text" : "midiparse",
					"patching_rect" : [
						380.0,
						60.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 8,
					"outlettype" : [
						"",
						"",
						"",
						"int",
						"int",
						"",
						"int",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-27",
					"maxclass" : "newobj",
					"text" : "t l b",
					"patching_rect" : [
						380.0,
						90.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-28",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						440.0,
						120.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-29",
					"maxclass" : "newobj",
					"text" : "expr $f1/480.",
					"patching_rect" : [
						440.0,
						150.0,
						103.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-30",
					"maxclass" : "newobj",
					"text" : "pack i i f",
					"patching_rect" : [
						380.0,
						180.0,
						82.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-31",
					"maxclass" : "newobj",
					"text" : "prepend /jam/note",
					"patching_rect" : [
						380.0,
						210.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-32",
					"maxclass" : "newobj",
					"text" : "midiformat",
					"patching_rect" : [
						320.0,
						370.0,
						82.0,
						22.0
					],
					"numinlets" : 7,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-33",
					"maxclass" : "newobj",
					"text" : "zl reg",
					"patching_rect" : [
						1000.0,
						470.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-34",
					"maxclass" : "newobj",
					"text" : "t b b",
					"patching_rect" : [
						1000.0,
						440.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-35",
					"maxclass" : "message",
					"text" : "zlclear",
					"patching_rect" : [
						1060.0,
						440.0,
						61.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-36",
					"maxclass" : "newobj",
					"text" : "iter",
					"patching_rect" : [
						1000.0,
						500.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-37",
					"maxclass" : "newobj",
					"text" : "pack 0 0",
					"patching_rect" : [
						1000.0,
						530.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-38",
					"maxclass" : "newobj",
					"text" : "udpreceive 7401",
					"patching_rect" : [
						620.0,
						20.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-39",
					"maxclass" : "newobj",
					"text" : "route /jam/chord /jam/nochord /jam/ready /jam/pong /jam/checkpoints /jam/status",
					"patching_rect" : [
						620.0,
						50.0,
						565.0,
						22.0
					],
					"numinlets" : 7,
					"numoutlets" : 7,
					"outlettype" : [
						"",
						"",
						"",
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-40",
					"maxclass" : "newobj",
					"text" : "coll",
					"patching_rect" : [
						700.0,
						300.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-41",
					"maxclass" : "newobj",
					"text" : "coll",
					"patching_rect" : [
						860.0,
						300.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-42",
					"maxclass" : "newobj",
					"text" : "t l l",
					"patching_rect" : [
						620.0,
						90.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-43",
					"maxclass" : "newobj",
					"text" : "unpack i i",
					"patching_rect" : [
						680.0,
						120.0,
						82.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-44",
					"maxclass" : "newobj",
					"text" : "expr $i1+$i2",
					"patching_rect" : [
						680.0,
						150.0,
						96.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-45",
					"maxclass" : "message",
					"text" : "$1 end",
					"patching_rect" : [
						680.0,
						180.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-46",
					"maxclass" : "message",
					"text" : "$1 nochord",
					"patching_rect" : [
						760.0,
						90.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-47",
					"maxclass" : "newobj",
					"text" : "t l b b",
					"patching_rect" : [
						840.0,
						90.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-48",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						840.0,
						200.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-49",
					"maxclass" : "message",
					"text" : "0",
					"patching_rect" : [
						880.0,
						200.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-50",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						900.0,
						120.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-51",
					"maxclass" : "newobj",
					"text" : "unpack s s",
					"patching_rect" : [
						840.0,
						150.0,
						82.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-52",
					"maxclass" : "newobj",
					"text" : "prepend setsymbol",
					"patching_rect" : [
						840.0,
						240.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-53",
					"maxclass" : "newobj",
					"text" : "t b b",
					"patching_rect" : [
						960.0,
						90.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-54",
					"maxclass" : "newobj",
					"text" : "delay 3000",
					"patching_rect" : [
						960.0,
						150.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-55",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						960.0,
						180.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-56",
					"maxclass" : "newobj",
					"text" : "prepend _parameter_range",
					"patching_rect" : [
						1040.0,
						90.0,
						180.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-57",
					"maxclass" : "newobj",
					"text" : "route checkpoint",
					"patching_rect" : [
						1140.0,
						90.0,
						124.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-58",
					"maxclass" : "message",
					"text" : "clear",
					"patching_rect" : [
						780.0,
						260.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-59",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						1250.0,
						300.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-60",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						1250.0,
						330.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-61",
					"maxclass" : "newobj",
					"text" : "zl reg",
					"patching_rect" : [
						1250.0,
						400.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-62",
					"maxclass" : "newobj",
					"text" : "expr $f1/480.",
					"patching_rect" : [
						1330.0,
						370.0,
						103.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-63",
					"maxclass" : "newobj",
					"text" : "pack i f f",
					"patching_rect" : [
						1250.0,
						440.0,
						82.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-64",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						1200.0,
						370.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-65",
					"maxclass" : "newobj",
					"text" : "prepend /jam/transport",
					"patching_rect" : [
						1250.0,
						470.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-66",
					"maxclass" : "newobj",
					"text" : "live.path",
					"patching_rect" : [
						1250.0,
						20.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-67",
					"maxclass" : "newobj",
					"text" : "live.observer is_playing",
					"patching_rect" : [
						1250.0,
						60.0,
						180.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-68",
					"maxclass" : "newobj",
					"text" : "live.observer tempo",
					"patching_rect" : [
						1420.0,
						60.0,
						145.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-69",
					"maxclass" : "newobj",
					"text" : "sel 0",
					"patching_rect" : [
						1250.0,
						100.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-70",
					"maxclass" : "newobj",
					"text" : "t b b b b",
					"patching_rect" : [
						1250.0,
						130.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-71",
					"maxclass" : "newobj",
					"text" : "metro 16n @quantize 16n",
					"patching_rect" : [
						1000.0,
						20.0,
						173.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-72",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						1000.0,
						50.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-73",
					"maxclass" : "newobj",
					"text" : "expr int($f1/120.+0.5)",
					"patching_rect" : [
						1000.0,
						80.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-74",
					"maxclass" : "newobj",
					"text" : "t i i i i",
					"patching_rect" : [
						1000.0,
						110.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"int",
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-75",
					"maxclass" : "newobj",
					"text" : "expr $i1-$i2",
					"patching_rect" : [
						1180.0,
						140.0,
						96.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-76",
					"maxclass" : "newobj",
					"text" : "sel 1",
					"patching_rect" : [
						1180.0,
						170.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-77",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						1180.0,
						200.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-78",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						860.0,
						220.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-79",
					"maxclass" : "message",
					"text" : "remove $1",
					"patching_rect" : [
						860.0,
						250.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-80",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						700.0,
						220.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-81",
					"maxclass" : "message",
					"text" : "remove $1",
					"patching_rect" : [
						700.0,
						250.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-82",
					"maxclass" : "newobj",
					"text" : "route nochord",
					"patching_rect" : [
						700.0,
						340.0,
						103.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-83",
					"maxclass" : "newobj",
					"text" : "t l b",
					"patching_rect" : [
						760.0,
						370.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-84",
					"maxclass" : "newobj",
					"text" : "zl slice 2",
					"patching_rect" : [
						760.0,
						400.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-85",
					"maxclass" : "newobj",
					"text" : "t l l",
					"patching_rect" : [
						760.0,
						430.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-86",
					"maxclass" : "newobj",
					"text" : "iter",
					"patching_rect" : [
						760.0,
						460.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-87",
					"maxclass" : "newobj",
					"text" : "pack 0 90",
					"patching_rect" : [
						760.0,
						490.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-88",
					"maxclass" : "newobj",
					"text" : "expr $i1%4",
					"patching_rect" : [
						1100.0,
						140.0,
						82.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-89",
					"maxclass" : "newobj",
					"text" : "sel 0",
					"patching_rect" : [
						1100.0,
						170.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-90",
					"maxclass" : "message",
					"text" : "-1000",
					"patching_rect" : [
						1330.0,
						160.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			}
		],
		"lines" : [
			{
				"patchline" : {
					"source" : [
						"obj-2",
						0
					],
					"destination" : [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						3
					],
					"destination" : [
						"obj-7",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						2
					],
					"destination" : [
						"obj-4",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						1
					],
					"destination" : [
						"obj-5",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						0
					],
					"destination" : [
						"obj-6",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-4",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-5",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-6",
						0
					],
					"destination" : [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-8",
						0
					],
					"destination" : [
						"obj-9",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-9",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-15",
						0
					],
					"destination" : [
						"obj-20",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-20",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-16",
						0
					],
					"destination" : [
						"obj-21",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-21",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-18",
						1
					],
					"destination" : [
						"obj-22",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-22",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-14",
						1
					],
					"destination" : [
						"obj-23",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-23",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-24",
						0
					],
					"destination" : [
						"obj-25",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-24",
						0
					],
					"destination" : [
						"obj-26",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-26",
						0
					],
					"destination" : [
						"obj-27",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-27",
						1
					],
					"destination" : [
						"obj-28",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-28",
						7
					],
					"destination" : [
						"obj-29",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-29",
						0
					],
					"destination" : [
						"obj-30",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-27",
						0
					],
					"destination" : [
						"obj-30",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-30",
						0
					],
					"destination" : [
						"obj-31",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-31",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-32",
						0
					],
					"destination" : [
						"obj-25",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-34",
						1
					],
					"destination" : [
						"obj-33",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-34",
						0
					],
					"destination" : [
						"obj-35",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-35",
						0
					],
					"destination" : [
						"obj-33",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-33",
						0
					],
					"destination" : [
						"obj-36",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						0
					],
					"destination" : [
						"obj-37",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-37",
						0
					],
					"destination" : [
						"obj-32",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-38",
						0
					],
					"destination" : [
						"obj-39",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						0
					],
					"destination" : [
						"obj-42",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-42",
						0
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-42",
						1
					],
					"destination" : [
						"obj-43",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-43",
						1
					],
					"destination" : [
						"obj-44",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-43",
						0
					],
					"destination" : [
						"obj-44",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-44",
						0
					],
					"destination" : [
						"obj-45",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-45",
						0
					],
					"destination" : [
						"obj-41",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						1
					],
					"destination" : [
						"obj-46",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-46",
						0
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						2
					],
					"destination" : [
						"obj-47",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-48",
						0
					],
					"destination" : [
						"obj-12",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-49",
						0
					],
					"destination" : [
						"obj-12",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						2
					],
					"destination" : [
						"obj-48",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						1
					],
					"destination" : [
						"obj-50",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-50",
						2
					],
					"destination" : [
						"obj-15",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-50",
						1
					],
					"destination" : [
						"obj-16",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-50",
						0
					],
					"destination" : [
						"obj-18",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						1
					],
					"destination" : [
						"obj-5",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						0
					],
					"destination" : [
						"obj-51",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-51",
						1
					],
					"destination" : [
						"obj-52",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-52",
						0
					],
					"destination" : [
						"obj-14",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						3
					],
					"destination" : [
						"obj-53",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-53",
						1
					],
					"destination" : [
						"obj-48",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-53",
						0
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-54",
						0
					],
					"destination" : [
						"obj-55",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-55",
						2
					],
					"destination" : [
						"obj-49",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-55",
						1
					],
					"destination" : [
						"obj-4",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-55",
						0
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						2
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						0
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						4
					],
					"destination" : [
						"obj-56",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-56",
						0
					],
					"destination" : [
						"obj-14",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						5
					],
					"destination" : [
						"obj-57",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-57",
						0
					],
					"destination" : [
						"obj-52",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-58",
						0
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-58",
						0
					],
					"destination" : [
						"obj-41",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-59",
						0
					],
					"destination" : [
						"obj-60",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-60",
						6
					],
					"destination" : [
						"obj-61",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-60",
						7
					],
					"destination" : [
						"obj-62",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-62",
						0
					],
					"destination" : [
						"obj-63",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-60",
						4
					],
					"destination" : [
						"obj-63",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-60",
						0
					],
					"destination" : [
						"obj-64",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-64",
						0
					],
					"destination" : [
						"obj-61",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-61",
						0
					],
					"destination" : [
						"obj-63",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-63",
						0
					],
					"destination" : [
						"obj-65",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-65",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-7",
						0
					],
					"destination" : [
						"obj-66",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-66",
						0
					],
					"destination" : [
						"obj-67",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-66",
						0
					],
					"destination" : [
						"obj-68",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-67",
						0
					],
					"destination" : [
						"obj-69",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-69",
						0
					],
					"destination" : [
						"obj-70",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-68",
						0
					],
					"destination" : [
						"obj-59",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-6",
						0
					],
					"destination" : [
						"obj-71",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-71",
						0
					],
					"destination" : [
						"obj-72",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-72",
						7
					],
					"destination" : [
						"obj-73",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-73",
						0
					],
					"destination" : [
						"obj-74",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						3
					],
					"destination" : [
						"obj-75",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-75",
						0
					],
					"destination" : [
						"obj-76",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-76",
						1
					],
					"destination" : [
						"obj-77",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-77",
						2
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-77",
						1
					],
					"destination" : [
						"obj-58",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-77",
						0
					],
					"destination" : [
						"obj-59",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						2
					],
					"destination" : [
						"obj-78",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-78",
						1
					],
					"destination" : [
						"obj-41",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-78",
						0
					],
					"destination" : [
						"obj-79",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-79",
						0
					],
					"destination" : [
						"obj-41",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-41",
						0
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						1
					],
					"destination" : [
						"obj-80",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-80",
						1
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-80",
						0
					],
					"destination" : [
						"obj-81",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-81",
						0
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-40",
						0
					],
					"destination" : [
						"obj-82",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-82",
						0
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-82",
						1
					],
					"destination" : [
						"obj-83",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-83",
						1
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-83",
						0
					],
					"destination" : [
						"obj-84",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-84",
						1
					],
					"destination" : [
						"obj-85",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-85",
						1
					],
					"destination" : [
						"obj-33",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-85",
						0
					],
					"destination" : [
						"obj-86",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-86",
						0
					],
					"destination" : [
						"obj-87",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-87",
						0
					],
					"destination" : [
						"obj-32",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						0
					],
					"destination" : [
						"obj-75",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						0
					],
					"destination" : [
						"obj-88",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-88",
						0
					],
					"destination" : [
						"obj-89",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-89",
						0
					],
					"destination" : [
						"obj-59",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-70",
						3
					],
					"destination" : [
						"obj-90",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-90",
						0
					],
					"destination" : [
						"obj-75",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-70",
						2
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-70",
						1
					],
					"destination" : [
						"obj-58",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-70",
						0
					],
					"destination" : [
						"obj-59",
						0
					]
				}
			}
		],
		"parameters" : {
			"obj-12" : [
				"Link",
				"Link",
				0
			],
			"obj-14" : [
				"Checkpoint",
				"Checkpoint",
				0
			],
			"obj-15" : [
				"Temperature",
				"Temp",
				0
			],
			"obj-16" : [
				"Lookahead",
				"Ahead",
				0
			],
			"obj-18" : [
				"Output",
				"Output",
				0
			]
		},
		"dependency_cache" : [],
		"autosave" : 0
	}
}
