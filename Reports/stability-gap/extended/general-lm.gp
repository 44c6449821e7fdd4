# Drawn by the replicate harness; run `gnuplot general-lm.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "General LM loss: U-val (GCIDE-U validation)"
set xlabel "tokens seen in the continual phase (thousands)"
set ylabel "U-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'general-lm.png'
plot 'general-lm.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'general-lm.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'general-lm.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'general-lm.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'general-lm.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     'general-lm.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "G1", \
     'general-lm.dat' index 6 using 1:2:3 with yerrorlines lc 7 pt 7 title "G2", \
     'general-lm.dat' index 7 using 1:2:3 with yerrorlines lc 8 pt 1 title "G3", \
     'general-lm.dat' index 8 using 1:2:3 with yerrorlines lc 9 pt 2 title "G5"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'general-lm.svg'
plot 'general-lm.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'general-lm.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G0lo", \
     'general-lm.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G0s", \
     'general-lm.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G4", \
     'general-lm.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G0mix", \
     'general-lm.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "G1", \
     'general-lm.dat' index 6 using 1:2:3 with yerrorlines lc 7 pt 7 title "G2", \
     'general-lm.dat' index 7 using 1:2:3 with yerrorlines lc 8 pt 1 title "G3", \
     'general-lm.dat' index 8 using 1:2:3 with yerrorlines lc 9 pt 2 title "G5"
unset output
